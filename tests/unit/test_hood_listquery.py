"""The Hood list query language parser: operators, defaults, paging, sorting and every error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.domain.hood_listquery import (
    OPERATORS,
    Condition,
    FieldSpec,
    ListQuery,
    ResourceSpec,
    SortKey,
    parse_list_query,
)
from partnerhub.errors import ValidationFailed

SPEC = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True),
        FieldSpec("name", "string", sortable=True, searchable=True),
        FieldSpec("email", "string", searchable=True),
        FieldSpec("status", "enum", sortable=True, enum=("active", "inactive")),
        FieldSpec("manager_ids", "array", filter_name="managers"),
        FieldSpec("create_time", "datetime", sortable=True),
        FieldSpec("is_test", "flag"),
        FieldSpec("notes", "string", filterable=False, searchable=True),
    ),
    default_search=("name", "email"),
    default_sort=(SortKey("create_time", True),),
)


def parse(*params: tuple[str, str], spec: ResourceSpec = SPEC, **kw: frozenset[str]) -> ListQuery:
    return parse_list_query(list(params), spec, **kw)


def condition(name: str, value: str) -> Condition:
    (only,) = parse((name, value)).conditions
    return only


def error(*params: tuple[str, str], spec: ResourceSpec = SPEC) -> tuple[str | None, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_list_query(list(params), spec)
    (problem,) = caught.value.problems
    return problem.field, problem.message


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


def test_defaults() -> None:
    query = parse()
    assert query == ListQuery(
        conditions=(),
        sort=(SortKey("create_time", True), SortKey("id", True)),
        page=1,
        per_page=20,
        search=None,
        search_fields=("name", "email"),
        fields=None,
        view="default",
    )
    assert query.offset == 0


@pytest.mark.parametrize(
    ("value", "op", "values"),
    [
        ("5", "eq", (5,)),
        ("eq:5", "eq", (5,)),
        ("neq:5", "neq", (5,)),
        ("gt:5", "gt", (5,)),
        ("gte:5", "gte", (5,)),
        ("lt:-5", "lt", (-5,)),
        ("lte:5", "lte", (5,)),
        ("in:1,2,3", "in", (1, 2, 3)),
        ("nin:1,2", "nin", (1, 2)),
        ("is:", "is", ()),
        ("isn:", "isn", ()),
        ("r:1,9", "r", (1, 9)),
        ("rf:1,9", "rf", (1, 9)),
        ("rl:1", "rl", (1,)),
        ("rr:9", "rr", (9,)),
        ("0042", "eq", (42,)),
    ],
)
def test_number_operators(value: str, op: str, values: tuple[object, ...]) -> None:
    assert condition("id", value) == Condition("id", op, values)


@pytest.mark.parametrize(
    ("value", "op", "values"),
    [
        ("2024-09-19 10:40:36", "eq", (utc(2024, 9, 19, 10, 40, 36),)),
        ("2024-09-19T10:40:36", "eq", (utc(2024, 9, 19, 10, 40, 36),)),
        ("2024-09-19", "eq", (utc(2024, 9, 19),)),
        ("gt:2024-09-19 10:40:36", "gt", (utc(2024, 9, 19, 10, 40, 36),)),
        ("r:2024-01-01,2024-02-01 12:00:00", "r", (utc(2024, 1, 1), utc(2024, 2, 1, 12))),
        ("rf:2024-01-01,2024-02-01", "rf", (utc(2024, 1, 1), utc(2024, 2, 1))),
        ("rl:2024-01-01", "rl", (utc(2024, 1, 1),)),
        ("rr:2024-01-01", "rr", (utc(2024, 1, 1),)),
        ("in:2024-01-01,2024-01-02", "in", (utc(2024, 1, 1), utc(2024, 1, 2))),
        ("isn:", "isn", ()),
    ],
)
def test_datetime_operators(value: str, op: str, values: tuple[object, ...]) -> None:
    assert condition("create_time", value) == Condition("create_time", op, values)


@pytest.mark.parametrize(
    ("value", "op", "values"),
    [
        ("active", "eq", ("active",)),
        ("neq:inactive", "neq", ("inactive",)),
        ("in:active,inactive", "in", ("active", "inactive")),
        ("nin:active", "nin", ("active",)),
        ("is:", "is", ()),
        ("isn:", "isn", ()),
    ],
)
def test_enum_operators(value: str, op: str, values: tuple[object, ...]) -> None:
    assert condition("status", value) == Condition("status", op, values)


@pytest.mark.parametrize(
    ("value", "op", "values"),
    [
        ("7", "eq", ("7",)),
        ("neq:7", "neq", ("7",)),
        ("in:7,8", "in", ("7", "8")),
        ("nin:7,8", "nin", ("7", "8")),
        ("is:", "is", ()),
        ("isn:", "isn", ()),
    ],
)
def test_array_filter_uses_filter_name(value: str, op: str, values: tuple[object, ...]) -> None:
    assert condition("managers", value) == Condition("manager_ids", op, values)


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("1", 1), ("in:0,1", None)])
def test_flag_values(value: str, expected: int | None) -> None:
    values = (expected,) if expected is not None else (0, 1)
    assert condition("is_test", value).values == values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", Condition("name", "eq", ("plain",))),
        ("", Condition("name", "eq", ("",))),
        ("eq:a:b", Condition("name", "eq", ("a:b",))),
        (":x", Condition("name", "eq", (":x",))),
        ("hello world:x", Condition("name", "eq", ("hello world:x",))),
        ("abcde:x", Condition("name", "eq", ("abcde:x",))),
        ("a1:x", Condition("name", "eq", ("a1:x",))),
        ("neq:", Condition("name", "neq", ("",))),
        ("in:a,b c", Condition("name", "in", ("a", "b c"))),
    ],
)
def test_string_values_and_colons(value: str, expected: Condition) -> None:
    assert condition("name", value) == expected


def test_repeated_filter_adds_conditions() -> None:
    query = parse(("id", "gt:1"), ("id", "lt:9"), ("status", "active"))
    assert query.conditions == (
        Condition("id", "gt", (1,)),
        Condition("id", "lt", (9,)),
        Condition("status", "eq", ("active",)),
    )


def test_ignored_params_are_skipped() -> None:
    query = parse(("account", "x"), ("page", "zz"), ignore=frozenset({"account", "page"}))
    assert query.conditions == ()
    assert query.page == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ((("status", "foo:bar"),), ("status", "Unknown operator 'foo' for filter 'status'.")),
        ((("name", "http://x"),), ("name", "Unknown operator 'http' for filter 'name'.")),
        ((("name", "EQ:x"),), ("name", "Unknown operator 'EQ' for filter 'name'.")),
        ((("foo", "1"),), ("foo", "Unknown filter 'foo'.")),
        ((("manager_ids", "1"),), ("manager_ids", "Unknown filter 'manager_ids'.")),
        ((("notes", "x"),), ("notes", "Filter 'notes' is not supported.")),
        (
            (("status", "gt:active"),),
            ("status", "Operator 'gt' is not allowed on filter 'status'."),
        ),
        ((("name", "r:a,b"),), ("name", "Operator 'r' is not allowed on filter 'name'.")),
        (
            (("managers", "rl:1"),),
            ("managers", "Operator 'rl' is not allowed on filter 'managers'."),
        ),
        (
            (("is_test", "gte:1"),),
            ("is_test", "Operator 'gte' is not allowed on filter 'is_test'."),
        ),
        (
            (("status", "xx"),),
            ("status", "Invalid value 'xx' for filter 'status': expected one of active, inactive."),
        ),
        (
            (("status", "in:active,Active"),),
            (
                "status",
                "Invalid value 'Active' for filter 'status': expected one of active, inactive.",
            ),
        ),
        ((("id", "xx"),), ("id", "Invalid value 'xx' for filter 'id': expected an integer.")),
        ((("id", "1.5"),), ("id", "Invalid value '1.5' for filter 'id': expected an integer.")),
        ((("id", ""),), ("id", "Invalid value '' for filter 'id': expected an integer.")),
        ((("id", "in:1,,2"),), ("id", "Invalid value '' for filter 'id': expected an integer.")),
        ((("id", "rl:1,2"),), ("id", "Invalid value '1,2' for filter 'id': expected an integer.")),
        (
            (("id", str(2**63)),),
            ("id", f"Invalid value '{2**63}' for filter 'id': expected an integer."),
        ),
        (
            (("is_test", "2"),),
            ("is_test", "Invalid value '2' for filter 'is_test': expected 0 or 1."),
        ),
        ((("id", "is:1"),), ("id", "Operator 'is' on filter 'id' takes no value.")),
        ((("email", "isn:x"),), ("email", "Operator 'isn' on filter 'email' takes no value.")),
        ((("id", "r:1"),), ("id", "Operator 'r' on filter 'id' needs two values: start,end.")),
        (
            (("id", "rf:1,2,3"),),
            ("id", "Operator 'rf' on filter 'id' needs two values: start,end."),
        ),
        ((("name", "a\x00b"),), ("name", "Parameter 'name' contains a NUL byte.")),
        ((("name", "x" * 1001),), ("name", "Parameter 'name' is longer than 1000 chars.")),
        ((("page", "1"), ("page", "2")), ("page", "Parameter 'page' is given more than once.")),
    ],
)
def test_filter_errors(params: tuple[tuple[str, str], ...], expected: tuple[str, str]) -> None:
    assert error(*params) == expected


@pytest.mark.parametrize(
    "value",
    ["2024-02-30", "2024-09-19 25:00:00", "19.09.2024", "2024-09-19 10:40", "2024-09-19Z", "x"],
)
def test_invalid_datetimes(value: str) -> None:
    assert error(("create_time", value)) == (
        "create_time",
        f"Invalid value '{value}' for filter 'create_time': "
        "expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC).",
    )


def test_value_of_exactly_1000_chars_is_accepted() -> None:
    assert condition("name", "x" * 1000).values == ("x" * 1000,)


def test_long_unknown_name_is_shortened_in_message() -> None:
    field, message = error(("n" * 200, "1"))
    assert field == "n" * 50 + "…"
    assert len(message) < 100


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name", (SortKey("name", False), SortKey("id", False))),
        ("-name", (SortKey("name", True), SortKey("id", True))),
        ("-name,status", (SortKey("name", True), SortKey("status", False), SortKey("id", False))),
        (
            " status , -create_time",
            (SortKey("status", False), SortKey("create_time", True), SortKey("id", True)),
        ),
        ("-id,name", (SortKey("id", True), SortKey("name", False))),
        ("id", (SortKey("id", False),)),
        ("", (SortKey("create_time", True), SortKey("id", True))),
    ],
)
def test_sort(raw: str, expected: tuple[SortKey, ...]) -> None:
    assert parse(("sort", raw)).sort == expected


def test_sort_without_default_is_by_id() -> None:
    spec = ResourceSpec(fields=SPEC.fields, default_search=(), default_sort=())
    assert parse(spec=spec).sort == (SortKey("id", False),)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("foo", "Unknown field 'foo' in sort."),
        ("-foo", "Unknown field 'foo' in sort."),
        ("email", "Field 'email' is not sortable."),
        ("name,-name", "Field 'name' appears more than once in sort."),
        ("name,", "sort has an empty item."),
        ("-", "Unknown field '' in sort."),
    ],
)
def test_sort_errors(raw: str, message: str) -> None:
    assert error(("sort", raw)) == ("sort", message)


@pytest.mark.parametrize(
    ("raw", "page", "per_page", "offset"),
    [("1", 1, 20, 0), ("2", 2, 20, 20), ("3,50", 3, 50, 100), ("1,100", 1, 100, 0), ("", 1, 20, 0)],
)
def test_page(raw: str, page: int, per_page: int, offset: int) -> None:
    query = parse(("page", raw))
    assert (query.page, query.per_page, query.offset) == (page, per_page, offset)


@pytest.mark.parametrize(
    "raw", ["0", "-1", "1,0", "1,101", "a", "1,", ",5", "1.5", "1,2,3", " 1", "+1", "\u0661", "0,5"]
)
def test_page_errors(raw: str) -> None:
    assert error(("page", raw)) == (
        "page",
        "page must be N or N,M with N ≥ 1 and 1 ≤ M ≤ 100.",
    )


def test_page_number_is_bounded() -> None:
    assert error(("page", "1000000001")) == ("page", "page number must be at most 1000000000.")


def test_page_limits_come_from_spec() -> None:
    spec = ResourceSpec(SPEC.fields, (), (), default_per_page=5, max_per_page=10)
    assert parse(spec=spec).per_page == 5
    assert parse(("page", "1,10"), spec=spec).per_page == 10
    assert error(("page", "1,11"), spec=spec)[1].endswith("1 ≤ M ≤ 10.")


def test_fields() -> None:
    assert parse(("fields", "name,id,name")).fields == ("name", "id")
    assert parse(("fields", "")).fields is None
    assert error(("fields", "name,foo")) == ("fields", "Unknown field 'foo' in fields.")
    assert error(("fields", "name,,id")) == ("fields", "fields has an empty item.")


def test_fields_use_output_fields_when_given() -> None:
    spec = ResourceSpec(SPEC.fields, (), (), output_fields=frozenset({"id", "company"}))
    assert parse(("fields", "company"), spec=spec).fields == ("company",)
    assert error(("fields", "name"), spec=spec) == ("fields", "Unknown field 'name' in fields.")


@pytest.mark.parametrize(
    ("raw", "view"), [("full", "full"), ("default", "default"), ("", "default")]
)
def test_view(raw: str, view: str) -> None:
    assert parse(("view", raw)).view == view


def test_view_error() -> None:
    assert error(("view", "brief")) == ("view", "Invalid view 'brief': expected default or full.")


def test_search() -> None:
    query = parse(("q", "  Acme Ltd "))
    assert (query.search, query.search_fields) == ("Acme Ltd", ("name", "email"))
    assert parse(("q", "   ")).search is None
    query = parse(("q", "x"), ("q_fields", "notes,name,notes"))
    assert query.search_fields == ("notes", "name")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("status", "Field 'status' is not searchable."),
        ("foo", "Unknown field 'foo' in q_fields."),
        ("name,", "q_fields has an empty item."),
    ],
)
def test_search_field_errors(raw: str, message: str) -> None:
    assert error(("q", "x"), ("q_fields", raw)) == ("q_fields", message)


def test_search_without_searchable_fields() -> None:
    spec = ResourceSpec(SPEC.fields, default_search=(), default_sort=())
    assert error(("q", "x"), spec=spec) == ("q", "Search is not supported on this list.")


def test_condition_values_are_typed() -> None:
    (when,) = condition("create_time", "2024-09-19 10:40:36").values
    assert isinstance(when, datetime)
    assert when.tzinfo is UTC


NAMES = st.sampled_from(
    [*(f.param for f in SPEC.fields), "foo", "fields", "view", "sort", "page", "q", "q_fields"]
)
VALUES = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda op, rest: f"{op}:{rest}",
        st.sampled_from([*sorted(OPERATORS), "foo", "x1", ""]),
        st.text(alphabet="0123456789-:, active2024", max_size=25),
    ),
)


@given(st.lists(st.tuples(st.one_of(NAMES, st.text(max_size=10)), VALUES), max_size=6))
def test_any_input_parses_or_fails_validation(params: list[tuple[str, str]]) -> None:
    try:
        query = parse_list_query(params, SPEC)
    except ValidationFailed as failure:
        assert failure.problems
        return
    assert any(key.field == "id" for key in query.sort)
    assert 1 <= query.per_page <= SPEC.max_per_page
    assert query.page >= 1
    for cond in query.conditions:
        assert cond.field in {f.name for f in SPEC.fields}

"""CRM property values: validation and normalisation per type (pure domain)."""

from __future__ import annotations

import pytest

from partnerhub.domain.crm_properties import (
    BUILTINS,
    InvalidValue,
    PropertyDef,
    apply_values,
    check_definition,
    check_name,
    iso_ms,
    normalise,
)
from partnerhub.errors import ValidationFailed


def _prop(type_: str, field_type: str, *options: str) -> PropertyDef:
    return PropertyDef(
        name="p",
        label="P",
        type=type_,
        field_type=field_type,
        options=tuple({"label": o, "value": o} for o in options),
    )


MULTI = _prop("enumeration", "checkbox", "a", "b", "c")


class TestNormalise:
    @pytest.mark.parametrize(
        ("prop", "value", "stored"),
        [
            (_prop("bool", "booleancheckbox"), "True", "true"),
            (_prop("number", "number"), "1.5e3", "1.5e3"),
            (_prop("number", "number"), " -17 ", "-17"),
            (_prop("date", "date"), "2019-10-31", "1572480000000"),
            (_prop("date", "date"), "1572480000000", "1572480000000"),
            (_prop("datetime", "date"), "2019-10-31T01:02:03Z", "2019-10-31T01:02:03.000Z"),
            (_prop("datetime", "date"), "1572480000123", "2019-10-31T00:00:00.123Z"),
            (_prop("datetime", "date"), "2019-10-31T02:00:00+02:00", "2019-10-31T00:00:00.000Z"),
            (_prop("enumeration", "select", "x", "y"), "y", "y"),
            (MULTI, "b;a;b", "b;a"),
            (_prop("string", "text"), "ünïcode", "ünïcode"),
        ],
    )
    def test_valid_values(self, prop: PropertyDef, value: str, stored: str) -> None:
        assert normalise(prop, value) == stored

    @pytest.mark.parametrize(
        ("prop", "value", "code"),
        [
            (_prop("bool", "booleancheckbox"), "yes", "INVALID_BOOLEAN"),
            (_prop("number", "number"), "1,5", "INVALID_INTEGER"),
            (_prop("number", "number"), "nan", "INVALID_INTEGER"),
            (_prop("date", "date"), "1606768561954", "INVALID_DATE"),
            (_prop("date", "date"), "2019-02-30", "INVALID_DATE"),
            (_prop("datetime", "date"), "soon", "INVALID_DATETIME"),
            (_prop("enumeration", "radio", "x"), "X", "INVALID_OPTION"),
            (MULTI, "a;z", "INVALID_OPTION"),
            (_prop("string", "text"), "x" * 65_537, "INVALID_STRING"),
        ],
    )
    def test_invalid_values(self, prop: PropertyDef, value: str, code: str) -> None:
        with pytest.raises(InvalidValue) as caught:
            normalise(prop, value)
        assert caught.value.problem.code == code

    def test_not_midnight_message_names_the_time(self) -> None:
        with pytest.raises(InvalidValue) as caught:
            normalise(_prop("date", "date"), "1606768561954")
        assert "20:36:01.954 UTC, not midnight" in caught.value.problem.message

    def test_empty_clears_and_semicolon_appends(self) -> None:
        assert normalise(_prop("string", "text"), "") is None
        assert normalise(MULTI, ";c", "a;b") == "a;b;c"
        assert normalise(MULTI, ";a", "a;b") == "a;b"
        assert normalise(MULTI, ";c", None) == "c"
        assert normalise(MULTI, "c", "a") == "c"

    def test_iso_ms(self) -> None:
        assert iso_ms(1572403817883) == "2019-10-30T02:50:17.883Z"


class TestApplyValues:
    def test_reports_every_bad_property_at_once(self) -> None:
        defs = {"n": _prop("number", "number")}
        with pytest.raises(ValidationFailed) as caught:
            apply_values(defs, {}, {"n": "x", "missing": "1", "hs_object_id": "3"})
        codes = {p.field: p.code for p in caught.value.problems}
        assert codes == {
            "properties.n": "INVALID_INTEGER",
            "properties.missing": "PROPERTY_DOESNT_EXIST",
            "properties.hs_object_id": "READ_ONLY_VALUE",
        }

    def test_archived_property_does_not_exist(self) -> None:
        defs = {"n": _prop("number", "number").with_changes(archived=True)}
        with pytest.raises(ValidationFailed) as caught:
            apply_values(defs, {}, {"n": "1"})
        assert caught.value.problems[0].code == "PROPERTY_DOESNT_EXIST"


class TestDefinitions:
    def test_field_type_must_fit_type(self) -> None:
        with pytest.raises(ValidationFailed):
            check_definition(_prop("number", "text"))
        with pytest.raises(ValidationFailed):
            check_definition(_prop("enumeration", "select"))
        check_definition(_prop("enumeration", "select", "a"))

    def test_names(self) -> None:
        assert check_name("property_string") == "property_string"
        for bad in ("Upper", "9lives", "hs_object_id", "groups", "a-b", ""):
            with pytest.raises(ValidationFailed):
                check_name(bad)

    def test_builtins_are_read_only(self) -> None:
        assert set(BUILTINS) == {"hs_object_id", "hs_createdate", "hs_lastmodifieddate"}
        assert all(p.read_only for p in BUILTINS.values())

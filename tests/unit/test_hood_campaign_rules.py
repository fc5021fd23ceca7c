"""Campaign rules without a database: JSON Merge Patch (RFC 7386's own examples), the
transition check's messages and the execution options → status."""

from __future__ import annotations

from typing import Any

import pytest

from partnerhub.domain.hood_campaigns import (
    STATUSES,
    TRANSITIONS,
    allowed_from,
    check_transition,
    patched_status,
)
from partnerhub.domain.merge_patch import merge_patch
from partnerhub.errors import RuleViolation, ValidationFailed

# RFC 7386 Appendix A: (target, patch, result).
RFC_7386: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), RFC_7386)
def test_merge_patch_follows_rfc_7386(target: Any, patch: Any, result: Any) -> None:
    assert merge_patch(target, patch) == result


def test_every_key_of_the_table_is_a_known_state() -> None:
    for (_, current), targets in TRANSITIONS.items():
        assert current in STATUSES and targets <= set(STATUSES)


def test_refused_from_names_the_state_and_where_it_is_allowed() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_transition("pause", "draft", "paused")
    assert caught.value.message == (
        "A campaign in state 'draft' cannot be paused; pause is allowed from scheduled, running."
    )
    assert allowed_from("cancel") == ("scheduled", "running", "paused")


def test_refused_target_names_both_states() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_transition("patch", "scheduled", "draft")
    assert caught.value.message == (
        "A campaign in state 'scheduled' cannot be updated to 'draft'; "
        "from scheduled, patch leads to scheduled, running."
    )


@pytest.mark.parametrize(
    ("current", "strategy", "is_draft", "sent", "expected"),
    [
        ("draft", "scheduled", None, True, "scheduled"),
        ("draft", "immediate", None, True, "running"),
        ("draft", "manual", None, True, "draft"),
        ("draft", "scheduled", True, True, "draft"),
        ("draft", "scheduled", False, False, "scheduled"),
        ("draft", "manual", None, False, "draft"),
        ("scheduled", "manual", None, True, "draft"),
        ("scheduled", "scheduled", False, False, "scheduled"),
        ("paused", "scheduled", None, False, "paused"),
    ],
)
def test_patched_status(
    current: str, strategy: str, is_draft: bool | None, sent: bool, expected: str
) -> None:
    assert patched_status(current, strategy, is_draft=is_draft, execution_sent=sent) == expected


def test_leaving_draft_needs_an_execution_option() -> None:
    with pytest.raises(ValidationFailed, match="execution option"):
        patched_status("draft", "manual", is_draft=False, execution_sent=False)

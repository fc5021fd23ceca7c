"""The helpers every console area shares (surfaces/console/editing.py), on their own."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.console import editing
from partnerhub.surfaces.console.forms import Form


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "query_string": query.encode()})


class TestByField:
    def test_a_message_goes_to_the_longest_field_holding_it(self) -> None:
        errors = {
            "settings.port": ["port"],
            "settings.port.0": ["port item"],
            "acls.0.direction": ["direction"],
            "name": ["name"],
        }
        grouped = editing.by_field(errors, ["settings", "settings.port", "acls", "name"])
        assert grouped == {
            "settings.port": ["port", "port item"],
            "acls": ["direction"],
            "name": ["name"],
        }

    def test_a_message_no_field_holds_goes_to_the_form(self) -> None:
        errors = {"version": ["stale"], "": ["whole"], "namesake": ["not name's"]}
        assert editing.by_field(errors, ["name"]) == {"": ["stale", "whole", "not name's"]}


class TestHistory:
    @pytest.mark.parametrize(("query", "page", "offset"), [("", 1, 0), ("page=3", 3, 40)])
    async def test_the_page_asked_for(self, query: str, page: int, offset: int) -> None:
        asked: dict[str, Any] = {}

        async def read(**kw: Any) -> tuple[int, list[Any]]:
            asked.update(kw)
            return 45, []

        shown = await editing.history(_request(query), read)
        assert (shown.total, shown.page, shown.per_page) == (45, page, editing.HISTORY_PER_PAGE)
        assert asked == {"limit": editing.HISTORY_PER_PAGE, "offset": offset}

    @pytest.mark.parametrize("raw", ["0", "-1", "²", "1e3", "9" * 10])
    async def test_a_bad_page_is_refused_before_anything_is_read(self, raw: str) -> None:
        async def read(**kw: Any) -> tuple[int, list[Any]]:
            raise AssertionError("read")

        with pytest.raises(ValidationFailed) as refused:
            await editing.history(_request(f"page={raw}"), read)
        assert refused.value.problems[0].field == "page"


class TestIfMatch:
    def test_the_forms_version_as_an_etag(self) -> None:
        assert editing.if_match(Form([("version", "7")])) == '"7"'
        assert editing.if_match(Form([])) is None
        assert editing.if_match(Form([("version", "")])) is None

    @pytest.mark.parametrize("raw", ["²", "-1", '1", *, "1', "1" * 19, " 1"])
    def test_anything_but_a_version_number_is_refused(self, raw: str) -> None:
        with pytest.raises(ValidationFailed) as refused:
            editing.if_match(Form([("version", raw)]))
        assert refused.value.problems[0].field == "version"

    def test_a_stale_form_names_the_object_and_its_version(self) -> None:
        stale = editing.StaleForm("deal", '"4"')
        assert stale.status == 412
        assert stale.message.startswith(
            "This deal was changed since this form was loaded (it is now at version 4)"
        )

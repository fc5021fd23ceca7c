"""Core wire ⇄ domain: bodies to commands; partners, tokens and history to Core JSON
(every key present, keys in alphabetical order, decimal strings, `…T…:…:….mmmZ` timestamps)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from partnerhub.domain import core_partners as rules
from partnerhub.domain.core_partners import (
    AUTHENTICATION_FIELDS,
    AuthenticationChange,
    CoreDraft,
    CorePartner,
    core_time,
    without_nulls,
)
from partnerhub.domain.core_query import CoreListQuery
from partnerhub.domain.history import HistoryEntry
from partnerhub.errors import InvalidBody, ProblemList, ValidationFailed
from partnerhub.services import core_oauth
from partnerhub.services.core_oauth import IssuedToken, PasswordGrant
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.common.wire_text import refuse_nul_in
from partnerhub.surfaces.core.schemas import (
    CoreAuthenticationPatch,
    CorePartnerCreate,
    CorePartnerPatch,
)

NOT_NULLABLE = ("name", *rules.NESTED_OBJECTS, *rules.NESTED_ARRAYS)


def sorted_object(value: dict[str, Any]) -> orjson.Fragment:
    """`value` as JSON with its keys in alphabetical order all the way down (CarrierX's order),
    serialized here by orjson: rebuilding sorted dicts in Python took a quarter of the time of
    a page of 25 partners."""
    return orjson.Fragment(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidBody("No JSON object could be decoded", field=None)
    return body


def _refuse(body: dict[str, Any], names: Sequence[str], rule: str, code: str) -> None:
    problems = ProblemList()
    for name in names:
        if name in body:
            problems.add(name, f"{name} {rule}", code)
    problems.raise_if_any()


def _nested(data: Any, sent: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in sent:
        value = getattr(data, name)
        if name in rules.NESTED_ARRAYS and name != "transformations" and value is not None:
            value = [item.model_dump() for item in value]
        values[name] = value
    return values


def partner_draft(body: Any) -> CoreDraft:
    raw = _object(body)
    _refuse(raw, rules.READ_ONLY, "is read-only: it is set by the system.", "READ_ONLY")
    refuse_nulls(raw, NOT_NULLABLE)
    data = validate(CorePartnerCreate, raw)
    values = _nested(data, data.model_fields_set - {"login", "password", "parent_sid"})
    for name in rules.NESTED_OBJECTS:
        if name in values:
            values[name] = without_nulls(values[name])
    return CoreDraft(
        login=data.login, password=data.password, parent_sid=data.parent_sid or None, values=values
    )


def partner_changes(body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(updatable fields sent, validated; read-only/create-only fields echoed, as sent)."""
    raw = _object(body)
    _refuse(
        raw,
        ("password",),
        "cannot be changed through PATCH or PUT: use PATCH /partners/{partner_sid}/authentication.",
        "NOT_UPDATABLE",
    )
    echoed = {k: raw[k] for k in rules.NOT_UPDATABLE if k in raw}
    rest = {k: v for k, v in raw.items() if k not in echoed}
    refuse_nulls(rest, NOT_NULLABLE)
    data = validate(CorePartnerPatch, rest)
    return _nested(data, set(data.model_fields_set)), echoed


def _selected(wire: dict[str, Any], query: CoreListQuery | None) -> dict[str, Any]:
    """`include_fields` / `exclude_fields` applied."""
    if query is not None and query.include_fields is not None:
        wire = {k: v for k, v in wire.items() if k in query.include_fields}
    if query is not None and query.exclude_fields:
        wire = {k: v for k, v in wire.items() if k not in query.exclude_fields}
    return wire


def partner_wire(partner: CorePartner, query: CoreListQuery | None = None) -> orjson.Fragment:
    return sorted_object(_selected(partner.public(), query))


def _url(base: str, params: list[tuple[str, str]], **changes: str | None) -> str:
    drop = set(changes) | {"after", "before", "offset"}
    kept = [(k, v) for k, v in params if k not in drop]
    kept += [(k, v) for k, v in changes.items() if v is not None]
    return f"{base}?{urlencode(kept)}"


def pagination(
    base: str,
    params: list[tuple[str, str]],
    query: CoreListQuery,
    *,
    first_sid: str | None,
    last_sid: str | None,
    has_more: bool,
) -> dict[str, str]:
    """`next` / `previous` links (absolute, on the request's own base URL); keys only when
    there is such a page."""
    links: dict[str, str] = {}
    limit = str(query.limit)
    if query.after is not None or query.before is not None:
        more_after = has_more if query.after is not None else first_sid is not None
        more_before = first_sid is not None if query.after is not None else has_more
        if more_after and last_sid:
            links["next"] = _url(base, params, after=last_sid, limit=limit)
        if more_before and first_sid:
            links["previous"] = _url(base, params, before=first_sid, limit=limit)
        return links
    if has_more:
        links["next"] = _url(base, params, offset=str(query.offset + query.limit), limit=limit)
    if query.offset > 0:
        previous = max(query.offset - query.limit, 0)
        links["previous"] = _url(base, params, offset=str(previous), limit=limit)
    return links


def list_envelope(
    items: Sequence[orjson.Fragment],
    *,
    total: int,
    limit: int,
    offset: int,
    has_more: bool,
    links: dict[str, str],
) -> dict[str, Any]:
    return {
        "count": len(items),
        "has_more": has_more,
        "items": items,
        "limit": limit,
        "offset": offset,
        "pagination": links,
        "total": total,
    }


def password_grant(raw: bytes) -> PasswordGrant:
    """The form-encoded token request, decoded, to the grant it asks for."""
    try:
        form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=50))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed.one(None, "The form body could not be decoded.") from None
    refuse_nul_in(form.items())
    return core_oauth.password_grant(form)


def token_wire(issued: IssuedToken) -> dict[str, Any]:
    info = issued.info
    return {
        "access_token": issued.secret,
        "client_id": None,
        "date_created": core_time(info.created_at),
        "date_expiration_access_token": core_time(info.expires_at) if info.expires_at else None,
        "date_expiration_refresh_token": None,
        "date_last_accessed": None,
        "ip_last_accessed": None,
        "name": info.name,
        "partner_sid": issued.partner.partner_sid,
        "refresh_token": None,
        "scopes": list(info.scopes),
        "token_sid": issued.token_sid,
        "token_type": "bearer",
    }


def authentication_changes(body: Any) -> AuthenticationChange:
    raw = _object(body)
    refuse_nulls(raw, AUTHENTICATION_FIELDS)
    data = validate(CoreAuthenticationPatch, raw)
    return AuthenticationChange(
        allow_basic_authentication=data.allow_basic_authentication,
        password=data.password,
    )


def authentication_wire(partner: CorePartner) -> dict[str, Any]:
    return {
        "allow_basic_authentication": partner.allow_basic_authentication,
        "login": partner.login,
        "partner_sid": partner.partner_sid,
    }


def history_wire(entry: HistoryEntry, query: CoreListQuery | None = None) -> orjson.Fragment:
    wire: dict[str, Any] = {
        "action": entry.action,
        "changed_at": core_time(entry.changed_at),
        "changes": entry.changes,
        "source": entry.author,
        "surface": entry.surface,
        "token_id": str(entry.token_id) if entry.token_id is not None else None,
        "version": entry.version,
    }
    return sorted_object(_selected(wire, query))

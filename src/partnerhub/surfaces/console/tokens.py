"""Tokens: the account's list, minting one (its secret shown once) and revoking one.

Managing tokens takes Core's token-endpoint scope, `oauth.manage`. A token minted here belongs
to the signed-in token's account, acts as its Core partner, and holds none of the scopes the
signed-in token lacks.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.auth.scopes import GRANTABLE_SCOPES
from partnerhub.domain import ids
from partnerhub.errors import ValidationFailed
from partnerhub.services import accounts
from partnerhub.surfaces.common.edge import runtime
from partnerhub.surfaces.console import areas, render
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.core.routes import edge as core_edge

router = page_router()
AREA = areas.TOKENS


def _expiry(text: str) -> datetime | None:
    """The form's expiry date (YYYY-MM-DD, end of that day UTC), or None when empty."""
    if not text.strip():
        return None
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise ValidationFailed.one(
            "expires_at", "expires_at must be a date written YYYY-MM-DD."
        ) from None
    return day.replace(hour=23, minute=59, second=59, tzinfo=UTC)


async def _tokens_page(
    request: Request,
    current: Session,
    *,
    errors: Errors | None = None,
    posted: dict[str, object] | None = None,
    minted: str | None = None,
    status: int = 200,
) -> Response:
    async with core_edge.read(request) as uow:
        tokens = await accounts.list_tokens(uow, account_id=current.actor.account_id)
    grantable = [s for s in GRANTABLE_SCOPES if s in current.actor.scopes]
    return render.page(
        request,
        "tokens.html",
        current,
        status=status,
        tokens=tokens,
        grantable=grantable,
        errors=errors or {},
        posted=posted or {"name": "", "scopes": [], "expires_at": ""},
        minted=minted,
        now=datetime.now(UTC),
    )


@router.get("/tokens")
async def tokens_list(request: Request) -> Response:
    return await _tokens_page(request, await enter(request, core_edge, AREA))


@router.post("/tokens")
async def token_create(request: Request) -> Response:
    current, form = await enter_form(request, core_edge, AREA)
    # The scopes' hidden empty value makes "none ticked" a field the form sends.
    scopes = [scope for scope in form.getlist("scopes") if scope]
    posted: dict[str, object] = {
        "name": form.get("name"),
        "scopes": scopes,
        "expires_at": form.get("expires_at"),
    }

    async def mint() -> Response:
        expires_at = _expiry(form.get("expires_at"))
        async with core_edge.write(request) as uow:
            _, secret = await accounts.create_token_as(
                uow,
                current.actor,
                name=form.get("name"),
                scopes=scopes,
                expires_at=expires_at,
            )
        # Shown on this answer only (never in a URL, a log or a later page).
        return await _tokens_page(request, current, minted=secret, status=201)

    async def again(errors: Errors) -> Response:
        return await _tokens_page(request, current, errors=errors, posted=posted)

    return await submit(mint, again)


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(request: Request, token_id: str) -> Response:
    current, _ = await enter_form(request, core_edge, AREA)
    tid = ids.numeric(token_id, "token")
    async with core_edge.write(request) as uow:
        await accounts.revoke_token(uow, account_id=current.actor.account_id, token_id=tid)
    # This worker stops trusting it now; others when their cache entry lapses.
    runtime(request).tokens.forget_all()
    return render.redirect("/console/tokens", done="revoked")

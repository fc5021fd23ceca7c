"""Hood integrations in the console: the account's list, a new one (its provider's settings),
the integration page (settings masked, edit, delete, history) and "Send test", which calls the
same service as the API's test-notification route and shows the provider's outcome.

No page ever holds a secret setting: they are shown masked as the API answers them, and the
edit form's secret inputs start empty (empty keeps the stored secret)."""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from partnerhub import providers
from partnerhub.domain import hood_integrations as rules
from partnerhub.domain import ids
from partnerhub.providers import Provider
from partnerhub.services import hood_integrations, hood_providers
from partnerhub.surfaces.common.edge import runtime
from partnerhub.surfaces.console import areas, forms, hood_related, render
from partnerhub.surfaces.console.editing import by_field, history, versioned_write
from partnerhub.surfaces.console.hood_common import YES_NO, In, edge, names, posted_values, wire
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood.integrations import mapping

router = page_router()
AREA = areas.HOOD_INTEGRATIONS
INTEGRATIONS = "/console/hood/integrations"
TEST = (In("recipient"),)


def _create_fields(provider: Provider) -> tuple[In, ...]:
    return (
        In("name"),
        In("provider_id"),
        In("status"),
        In("is_default", "flag"),
        *(In(f"settings.{f.name}") for f in provider.settings_schema),
    )


def _edit_fields(provider: Provider) -> tuple[In, ...]:
    """A cleared secret keeps the stored one (absent); a cleared other setting is `null` (the
    API removes it, and says so if the provider requires it)."""
    return (
        In("name", empty="send"),
        In("status", empty="send"),
        In("is_default", "flag", empty="send"),
        *(
            In(f"settings.{f.name}", empty="absent" if f.secret else "null")
            for f in provider.settings_schema
        ),
    )


def _choices() -> dict[str, Any]:
    return {"statuses": rules.STATUSES, "yes_no": YES_NO}


@router.get("/hood/integrations")
async def integration_list(request: Request) -> Response:
    current = await enter(request, edge, AREA)
    async with edge.read(request) as uow:
        listing = await hood_related.integrations_page(uow, current.actor, runtime(request).secrets)
    return render.page(
        request,
        "hood/integrations.html",
        current,
        listing=listing,
        providers=providers.all(),
    )


def _new_page(
    request: Request, current: Session, provider: Provider, values: dict[str, Any], errors: Errors
) -> Response:
    return render.page(
        request,
        "hood/integration_new.html",
        current,
        provider=provider,
        values=values,
        errors=errors,
        **_choices(),
    )


@router.get("/hood/integrations/new")
async def integration_new(request: Request) -> Response:
    current = await enter(request, edge, AREA, write=True)
    provider = hood_providers.get(request.query_params.get("provider", ""))
    blank = {f.name: "" for f in _create_fields(provider)}
    values = blank | {"provider_id": provider.id, "status": "active", "is_default": "false"}
    return _new_page(request, current, provider, values, {})


@router.post("/hood/integrations")
async def integration_create(request: Request) -> Response:
    current, form = await enter_form(request, edge, AREA)
    provider = hood_providers.get(form.get("provider_id"))
    fields = _create_fields(provider)

    async def create() -> Response:
        draft = mapping.integration_draft(wire(form, fields))
        secrets = runtime(request).secrets
        async with edge.write(request) as uow:
            view = await hood_integrations.create(uow, current.actor, secrets=secrets, draft=draft)
        return render.redirect(f"{INTEGRATIONS}/{view.integration.id}", done="created")

    async def again(errors: Errors) -> Response:
        # A refused form is shown again without the secrets it carried.
        shown = posted_values(form, fields)
        shown |= {f"settings.{name}": "" for name in provider.secret_fields}
        return _new_page(request, current, provider, shown, by_field(errors, names(fields)))

    return await submit(create, again)


async def _integration_page(
    request: Request,
    current: Session,
    iid: int,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    errors: Errors | None = None,
) -> Response:
    actor = current.actor
    async with edge.read(request) as uow:
        view = await hood_integrations.get(
            uow, actor, secrets=runtime(request).secrets, integration_id=iid
        )
        timeline = await history(
            request, partial(hood_integrations.history_of, uow, actor, object_id=iid)
        )
    i = view.integration
    provider = hood_providers.get(i.provider_id)
    secret = provider.secret_fields
    edit = {
        "name": i.name,
        "status": i.status,
        "is_default": "true" if i.is_default else "false",
        **{f"settings.{k}": "" if k in secret else v for k, v in view.settings.items()},
    }
    test = {"recipient": ""}
    if form is not None and failed == "edit":
        edit = posted_values(form, _edit_fields(provider))
        edit |= {f"settings.{name}": "" for name in secret}
    elif form is not None and failed == "test":
        test = posted_values(form, TEST)
    return render.page(
        request,
        "hood/integration.html",
        current,
        view=view,
        i=i,
        provider=provider,
        edit=edit,
        test=test,
        errors={failed: errors or {}},
        timeline=timeline,
        **_choices(),
    )


@router.get("/hood/integrations/{integration_id}")
async def integration_view(request: Request, integration_id: str) -> Response:
    current = await enter(request, edge, AREA)
    return await _integration_page(request, current, ids.numeric(integration_id, "integration"))


async def _provider_of(request: Request, current: Session, iid: int) -> Provider:
    async with edge.read(request) as uow:
        view = await hood_integrations.get(
            uow, current.actor, secrets=runtime(request).secrets, integration_id=iid
        )
    return hood_providers.get(view.integration.provider_id)


@router.post("/hood/integrations/{integration_id}")
async def integration_edit(request: Request, integration_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    iid = ids.numeric(integration_id, "integration")
    fields = _edit_fields(await _provider_of(request, current, iid))

    async def save() -> Response:
        patch = mapping.integration_patch(wire(form, fields))
        async with versioned_write(request, edge, form, "integration") as (uow, if_match):
            await hood_integrations.patch(
                uow,
                current.actor,
                secrets=runtime(request).secrets,
                integration_id=iid,
                patch=patch,
                if_match=if_match,
            )
        return render.redirect(f"{INTEGRATIONS}/{iid}", done="saved")

    async def again(errors: Errors) -> Response:
        return await _integration_page(
            request,
            current,
            iid,
            failed="edit",
            form=form,
            errors=by_field(errors, names(fields)),
        )

    return await submit(save, again)


@router.post("/hood/integrations/{integration_id}/test")
async def integration_test(request: Request, integration_id: str) -> Response:
    """Send a test notification through the integration: the provider's refusal (a wrong
    password, a refused connection, a timeout) is shown next to the form, status 400."""
    current, form = await enter_form(request, edge, AREA)
    iid = ids.numeric(integration_id, "integration")

    async def send() -> Response:
        command = mapping.test_notification({"integration_id": str(iid), **wire(form, TEST)})
        rt = runtime(request)
        await hood_integrations.test_notification(
            rt.db, current.actor, secrets=rt.secrets, transports=rt.transports, request=command
        )
        return render.redirect(f"{INTEGRATIONS}/{iid}", done="sent")

    async def again(errors: Errors) -> Response:
        return await _integration_page(
            request, current, iid, failed="test", form=form, errors=by_field(errors, names(TEST))
        )

    return await submit(send, again)


@router.post("/hood/integrations/{integration_id}/delete")
async def integration_delete(request: Request, integration_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    iid = ids.numeric(integration_id, "integration")

    async def delete() -> Response:
        async with versioned_write(request, edge, form, "integration") as (uow, if_match):
            await hood_integrations.delete(
                uow,
                current.actor,
                secrets=runtime(request).secrets,
                integration_id=iid,
                if_match=if_match,
            )
        return render.redirect(INTEGRATIONS, done="deleted")

    async def again(errors: Errors) -> Response:
        return await _integration_page(
            request, current, iid, failed="delete", errors=by_field(errors, ())
        )

    return await submit(delete, again)

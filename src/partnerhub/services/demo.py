"""`partnerhub demo`: a small, realistic data set on every surface."""

from __future__ import annotations

import secrets as random_tokens
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from partnerhub.auth.secrets import Secrets
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.core_partners import CoreDraft
from partnerhub.domain.crm_properties import PropertyDef
from partnerhub.domain.hood_campaigns import CampaignDraft, MessageIn
from partnerhub.domain.hood_deals import DealDraft
from partnerhub.domain.hood_integrations import IntegrationDraft
from partnerhub.domain.hood_partners import PartnerDraft
from partnerhub.services import (
    accounts,
    core_partners,
    crm_objects,
    crm_properties,
    hood_campaigns,
    hood_deals,
    hood_integrations,
    hood_partners,
)
from partnerhub.storage.unit_of_work import UnitOfWork

MEMBERS = (
    ("Isabella Reed", "isabella.reed@example.com"),
    ("Marco Vidal", "marco.vidal@example.com"),
    ("Aiko Tanaka", "aiko.tanaka@example.com"),
)

PARTNERS = (
    (
        "Hairdressing Claire",
        ("publisher",),
        "active",
        "CA",
        "Toronto",
        "Victoria Park Ave",
        "M4B 2J8",
        ("quarterly", "card", "net90", "eur"),
        "claire@hairdressing-claire.example",
        "+14165550142",
    ),
    (
        "Northwind Media",
        ("advertiser", "publisher"),
        "active",
        "US",
        "Seattle",
        "1 Pike St",
        "98101",
        ("monthly", "bank-transfer", "net30", "usd"),
        "partners@northwind.example",
        "+12065550100",
    ),
    (
        "Balkan Clicks",
        ("publisher",),
        "pending",
        "RS",
        "Belgrade",
        "Knez Mihailova 5",
        "11000",
        ("monthly", "paypal", "net45", "eur"),
        "office@balkanclicks.example",
        "+381113030303",
    ),
    (
        "Sunrise Apps",
        ("advertiser",),
        "inactive",
        "DE",
        "Berlin",
        "Torstrasse 49",
        "10119",
        ("annually", "bank-transfer", "net60", "eur"),
        "bd@sunrise-apps.example",
        "+493012345678",
    ),
    (
        "Harbour Retail",
        ("advertiser",),
        "suspended",
        "GB",
        "Bristol",
        "Harbourside 2",
        "BS1 5DB",
        ("monthly", "card", "net30", "usd"),
        "affiliates@harbour.example",
        "+441179000000",
    ),
)


async def load(
    uow: UnitOfWork,
    actor: Actor,
    *,
    secrets: Secrets,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    member_ids = []
    partner_ids: list[int] = []
    for name, email in MEMBERS:
        member = await accounts.create_member(
            uow, account_id=actor.account_id, name=name, email=email
        )
        member_ids.append(str(member.id))
        progress(f"member {name}")
    for i, (
        name,
        types,
        status,
        country,
        city,
        street,
        post_code,
        terms,
        email,
        phone,
    ) in enumerate(PARTNERS):
        freq, method, net, currency = terms
        view = await hood_partners.create(
            uow,
            actor,
            draft=PartnerDraft(
                name=name,
                type=types,
                status=status,
                manager_ids=(member_ids[i % len(member_ids)],),
                description=f"{name}: demo partner",
                payment_terms={
                    "payment_frequency": freq,
                    "payment_method": method,
                    "net_terms": net,
                    "currency_code": currency,
                },
                billing_address={
                    "street": street,
                    "city": city,
                    "post_code": post_code,
                    "country": country,
                },
                contacts=(("email", email), ("phone", phone)),
            ),
        )
        partner_ids.append(view.partner.id)
        progress(f"hood partner {name}")
    sms_integration = None
    for draft in INTEGRATIONS:
        created = await hood_integrations.create(uow, actor, secrets=secrets, draft=draft)
        sms_integration = sms_integration or created.integration.id
        progress(f"hood integration {draft.name}")
    deal_count, campaign_count = await _deals(uow, actor, partner_ids, sms_integration, progress)
    crm_count = await _crm(uow, actor, progress)
    core_count = await _core_tree(uow, actor, progress)
    return {
        "members": len(MEMBERS),
        "hood_partners": len(PARTNERS),
        "hood_integrations": len(INTEGRATIONS),
        "hood_deals": deal_count,
        "hood_campaigns": campaign_count,
        "crm_partner_clients": crm_count,
        "core_partners": core_count,
    }


# Placeholder credentials, as Ocamba's own examples: they are stored (and their secrets
# encrypted) but pass no validate or test until replaced with real ones.
INTEGRATIONS = (
    IntegrationDraft(
        name="Twilio SMS",
        provider_id="1000",
        settings={
            "account_sid": "AC" + "0" * 32,
            "auth_token": "demo-auth-token-replace-me",
            "default_phone_number": "+14155550100",
        },
        is_default=True,
    ),
    IntegrationDraft(
        name="Office SMTP",
        provider_id="1001",
        settings={
            "host": "localhost",
            "port": "587",
            "username": "partners@example.com",
            "password": "demo-password-replace-me",
            "default_sender_email": "partners@example.com",
            "default_sender_name": "Partner team",
            "sending_domain": "example.com",
        },
        is_default=True,
    ),
)

# (name, base price, status) of each demo partner's deals; each deal gets a scheduled SMS
# campaign and a draft.
DEALS = (("Spring promo CPA", "2.50", "active"), ("Retargeting CPI", "0.80", "inactive"))


async def _deals(
    uow: UnitOfWork,
    actor: Actor,
    partner_ids: list[int],
    sms_integration: int | None,
    progress: Callable[[str], None],
) -> tuple[int, int]:
    deals = campaigns = 0
    next_month = utcnow().replace(microsecond=0) + timedelta(days=30)
    for partner_id in partner_ids[:2]:
        for name, price, status in DEALS:
            deal = await hood_deals.create(
                uow,
                actor,
                draft=DealDraft(
                    name=name,
                    partner_id=partner_id,
                    base_price=Decimal(price),
                    clickthrough=True,
                    status=status,
                    country_price={"US": Decimal("3.00"), "DE": Decimal("2.20")},
                ),
            )
            deals += 1
            for draft in (
                CampaignDraft(
                    name=f"{name}: launch SMS",
                    deal_id=deal.id,
                    messages=(
                        MessageIn(
                            channel="sms",
                            integration_id=sms_integration,
                            content="Spring offers are live: reply STOP to opt out.",
                        ),
                    ),
                    scheduled_time=next_month,
                ),
                CampaignDraft(name=f"{name}: follow-up", deal_id=deal.id, is_draft=True),
            ):
                await hood_campaigns.create(uow, actor, draft=draft)
                campaigns += 1
            progress(f"hood deal {name}")
    return deals, campaigns


# (login stem, name, company, city, zip, parent stem or None for the root, tier)
CORE_TREE = (
    ("pacific", "Dana Whitfield", "Pacific Telecom", "Long Beach", "90804", None, "gold"),
    ("harbor", "Luis Ortega", "Harbor Voice", "San Pedro", "90731", "pacific", "silver"),
    ("bayline", "Mei Chen", "Bayline SMS", "Oakland", "94607", "pacific", "bronze"),
    ("summit", "Jonas Berg", "Summit Carriers", "Denver", "80202", None, "silver"),
)


async def _core_tree(uow: UnitOfWork, actor: Actor, progress: Callable[[str], None]) -> int:
    """A reseller with two sub-partners, and one more partner, under the account's root.
    Logins carry the account id so the demo can be loaded into several accounts."""
    sids: dict[str, str] = {}
    for stem, name, company, city, zip_code, parent, tier in CORE_TREE:
        created = await core_partners.create(
            uow,
            actor,
            draft=CoreDraft(
                login=f"{stem}-{actor.account_id}",
                password=random_tokens.token_urlsafe(18),
                parent_sid=sids[parent] if parent else None,
                values={
                    "name": name,
                    "company_name": company,
                    "city": city,
                    "zip": zip_code,
                    "country_code": "USA",
                    "owner_email": f"{stem}@{stem}.example",
                    "attributes": {"tier": tier},
                    "callbacks": {"sms": f"https://{stem}.example/hooks/sms"},
                },
            ),
        )
        sids[stem] = created.partner_sid
        progress(f"core partner {company}")
    return len(CORE_TREE)


def _options(*values: str) -> tuple[dict[str, object], ...]:
    return tuple(
        {
            "label": v.replace("_", " ").title(),
            "value": v,
            "description": "",
            "displayOrder": i,
            "hidden": False,
        }
        for i, v in enumerate(values)
    )


# The seven example properties of HubSpot's partner_clients page (seed 004).
CRM_PROPERTIES = (
    PropertyDef(
        "property_checkbox",
        "Checkbox",
        "bool",
        "booleancheckbox",
        options=_options("true", "false"),
    ),
    PropertyDef("property_date", "Date", "date", "date"),
    PropertyDef(
        "property_dropdown",
        "Dropdown",
        "enumeration",
        "select",
        options=_options("choice_a", "choice_b", "choice_c"),
    ),
    PropertyDef(
        "property_multiple_checkboxes",
        "Multiple checkboxes",
        "enumeration",
        "checkbox",
        options=_options("chocolate", "strawberry", "vanilla"),
    ),
    PropertyDef("property_number", "Number", "number", "number"),
    PropertyDef(
        "property_radio", "Radio", "enumeration", "radio", options=_options("option_1", "option_2")
    ),
    PropertyDef("property_string", "String", "string", "text"),
)
CRM_CLIENTS = (
    ("false", "2019-10-31", "choice_b", "chocolate;strawberry", "17", "option_1", "value"),
    ("true", "2024-03-01", "choice_a", "vanilla", "250", "option_2", "Hairdressing Claire"),
    ("true", "2025-01-15", "choice_c", "strawberry", "42.5", "option_1", "Northwind Media"),
)


async def _crm(uow: UnitOfWork, actor: Actor, progress: Callable[[str], None]) -> int:
    existing = (await crm_properties.definitions(uow, actor)).custom
    for prop in CRM_PROPERTIES:
        if prop.name not in existing:
            await crm_properties.create(uow, actor, draft=prop)
    progress("crm properties")
    names = [p.name for p in CRM_PROPERTIES]
    for values in CRM_CLIENTS:
        await crm_objects.create(uow, actor, values=dict(zip(names, values, strict=True)))
        progress(f"crm partner client {values[-1]}")
    return len(CRM_CLIENTS)

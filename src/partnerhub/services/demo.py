"""`partnerhub demo`: a small, realistic data set on every surface."""

from __future__ import annotations

from collections.abc import Callable

from partnerhub.domain.accounts import Actor
from partnerhub.domain.partners import PartnerDraft
from partnerhub.services import accounts, partners
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
    uow: UnitOfWork, actor: Actor, *, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    member_ids = []
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
        await partners.create(
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
        progress(f"hood partner {name}")
    return {"members": len(MEMBERS), "hood_partners": len(PARTNERS)}

"""CRM rate limits (HubSpot's): per account, a rolling 10-second window, a daily budget, and
5 searches per second. `partnerhub accounts limits NAME --crm 1000/10,1000000/86400` overrides
them per account: windows shorter than a day are rolling, a window of a day or more is daily;
`--crm-search 20/1` overrides the search budget."""

from __future__ import annotations

from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.ratelimit import Decision, Policy, Window

ROLLING = "TEN_SECONDLY_ROLLING"
DAILY = "DAILY"
SEARCH = "SECONDLY"
DAY = 86_400


def _rolling(amount: int, seconds: int) -> Policy:
    return Policy(ROLLING, (Window(amount, seconds, "rolling"),), strategy="moving")


def _daily(amount: int, seconds: int) -> Policy:
    return Policy(DAILY, (Window(amount, seconds, "daily"),))


def policies(actor: Actor, settings: Settings) -> list[Policy]:
    """The rolling 10-second budget and the daily one, or the account's own."""
    rolling = _rolling(settings.crm_rate_per_10s, 10)
    daily = _daily(settings.crm_rate_per_day, DAY)
    for amount, seconds in actor.rate_limits.get("crm") or ():
        if int(seconds) >= DAY:
            daily = _daily(int(amount), int(seconds))
        else:
            rolling = _rolling(int(amount), int(seconds))
    return [rolling, daily]


def search_policies(actor: Actor, settings: Settings) -> list[Policy]:
    """Search has a budget of its own on top (5 per second by default)."""
    custom = actor.rate_limits.get("crm_search")
    amount, seconds = custom[-1] if custom else (settings.crm_search_per_second, 1)
    return [Policy(SEARCH, (Window(int(amount), int(seconds), "search"),), strategy="moving")]


def headers(decision: Decision) -> dict[str, str]:
    found: dict[str, str] = {}
    for state in decision.states:
        if state.window.name == "rolling":
            found["X-HubSpot-RateLimit-Max"] = str(state.window.amount)
            found["X-HubSpot-RateLimit-Remaining"] = str(state.remaining)
            found["X-HubSpot-RateLimit-Interval-Milliseconds"] = str(state.window.seconds * 1000)
        elif state.window.name == "daily":
            found["X-HubSpot-RateLimit-Daily"] = str(state.window.amount)
            found["X-HubSpot-RateLimit-Daily-Remaining"] = str(state.remaining)
    return found

"""An injected fault's status as the error the surface itself raises for it, so the surface's
own handler renders it in its envelope (CRM's 429: HubSpot's RATE_LIMIT body and Retry-After)."""

from __future__ import annotations

from partnerhub.domain.test_control import Fault
from partnerhub.errors import (
    Conflict,
    DomainError,
    MissingScope,
    RateLimited,
    Unauthenticated,
    Unavailable,
)
from partnerhub.surfaces.common.errors import InternalError, RouteNotFound
from partnerhub.surfaces.crm.ratelimits import ROLLING

# Hood and Core name the policy in their 429 message; CRM's policyName is HubSpot's.
POLICY = "test-control-fault"
INJECTED = "(injected by the test-control API)"


class InjectedUnavailable(Unavailable):
    """A 502 / 503 / 504: an upstream or the service itself failing."""

    def __init__(self, status: int) -> None:
        super().__init__(f"The service is unavailable {INJECTED}.")
        self.status = status


def error_for(fault: Fault, surface: str) -> DomainError:
    status = fault.spec.status
    if status == 429:
        return RateLimited(fault.spec.retry_after, ROLLING if surface == "crm" else POLICY)
    if status == 401:
        return Unauthenticated(f"The bearer token is invalid, expired or revoked {INJECTED}.")
    if status == 403:
        return MissingScope((INJECTED,))
    if status == 404:
        return RouteNotFound(f"Not found {INJECTED}.")
    if status == 409:
        return Conflict(f"Conflict {INJECTED}.")
    if status == 500:
        return InternalError("Internal server error.")
    if status in (502, 503, 504):
        return InjectedUnavailable(status)
    return DomainError(f"Bad request {INJECTED}.")

"""One HTTP call to a provider's API: every failure becomes a ProviderError naming the cause."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from partnerhub.providers._failures import describe
from partnerhub.providers.base import Provider, Transports

Reason = Callable[[httpx.Response], str | None]


async def call(
    provider: Provider,
    settings: Mapping[str, str],
    transports: Transports,
    method: str,
    url: str,
    *,
    reason: Reason,
    **kwargs: Any,
) -> httpx.Response:
    """The 2xx answer to `method url`; otherwise ProviderError with `reason(answer)`."""
    try:
        target = httpx.URL(url)
        response = await transports.http.request(
            method, target, timeout=transports.timeout, **kwargs
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise provider.error(settings, f"invalid URL ({exc})") from None
    except (httpx.HTTPError, OSError) as exc:
        port = target.port or (443 if target.scheme == "https" else 80)
        raise provider.error(
            settings, describe(exc, target.host, port, transports.timeout)
        ) from None
    if response.is_success:
        return response
    raise provider.error(settings, reason(response) or fallback_reason(response))


def fallback_reason(response: httpx.Response) -> str:
    text = " ".join(response.text.split())[:200]
    return f"HTTP {response.status_code}" + (f" {text}" if text else "")


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None

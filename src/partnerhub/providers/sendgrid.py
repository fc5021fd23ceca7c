"""SendGrid e-mail over its v3 Web API, bearer API key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from partnerhub.providers._http import call, json_body
from partnerhub.providers.base import NO_SUBJECT, Message, Provider, SettingField, Transports

DEFAULT_BASE_URL = "https://api.sendgrid.com"


def sendgrid_reason(response: httpx.Response) -> str | None:
    body = json_body(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        if first.get("message"):
            field = first.get("field")
            return f"{first['message']} ({field})" if field else str(first["message"])
    return None


class SendGrid(Provider):
    id = "1002"
    type = "email"
    name = "sendgrid"
    service = "sendgrid"
    logo = "https://sendgrid.com/favicon.ico"
    settings_schema: ClassVar[tuple[SettingField, ...]] = (
        SettingField("api_key", "API Key", secret=True),
        SettingField("default_sender_email", "Default Sender Email"),
        SettingField("default_sender_name", "Default Sender Name", required=False),
    )

    @staticmethod
    def _headers(settings: Mapping[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {settings['api_key']}"}

    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        url = f"{transports.base_url(self.service, DEFAULT_BASE_URL)}/v3/scopes"
        await call(
            self,
            settings,
            transports,
            "GET",
            url,
            reason=sendgrid_reason,
            headers=self._headers(settings),
        )

    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        sender: dict[str, str] = {"email": settings["default_sender_email"]}
        if settings.get("default_sender_name"):
            sender["name"] = settings["default_sender_name"]
        payload: dict[str, Any] = {
            "personalizations": [{"to": [{"email": message.recipient}]}],
            "from": sender,
            "subject": message.subject or NO_SUBJECT,
            "content": [{"type": "text/plain", "value": message.body}],
        }
        url = f"{transports.base_url(self.service, DEFAULT_BASE_URL)}/v3/mail/send"
        await call(
            self,
            settings,
            transports,
            "POST",
            url,
            reason=sendgrid_reason,
            headers=self._headers(settings),
            json=payload,
        )

"""Mailgun e-mail over its v3 API, HTTP basic auth `api:<api_key>`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar
from urllib.parse import quote

import httpx

from partnerhub.providers._http import call, json_body
from partnerhub.providers.base import NO_SUBJECT, Message, Provider, SettingField, Transports

DEFAULT_BASE_URL = "https://api.mailgun.net"


def mailgun_reason(response: httpx.Response) -> str | None:
    body = json_body(response)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    text = " ".join(response.text.split())[:200]
    return text if text and response.is_client_error else None


class Mailgun(Provider):
    id = "1003"
    type = "email"
    name = "mailgun"
    service = "mailgun"
    logo = "https://www.mailgun.com/favicon.ico"
    settings_schema: ClassVar[tuple[SettingField, ...]] = (
        SettingField("api_key", "API Key", secret=True),
        SettingField("domain", "Sending Domain"),
        SettingField("default_sender_email", "Default Sender Email"),
        SettingField("default_sender_name", "Default Sender Name", required=False),
    )

    def _url(self, transports: Transports, path: str) -> str:
        return f"{transports.base_url(self.service, DEFAULT_BASE_URL)}/v3/{path}"

    @staticmethod
    def _auth(settings: Mapping[str, str]) -> httpx.BasicAuth:
        return httpx.BasicAuth("api", settings["api_key"])

    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        url = self._url(transports, f"domains/{quote(settings['domain'], safe='')}")
        await call(
            self, settings, transports, "GET", url, reason=mailgun_reason, auth=self._auth(settings)
        )

    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        form = {
            "from": self.sender(settings),
            "to": message.recipient,
            "subject": message.subject or NO_SUBJECT,
            "text": message.body,
        }
        url = self._url(transports, f"{quote(settings['domain'], safe='')}/messages")
        await call(
            self,
            settings,
            transports,
            "POST",
            url,
            reason=mailgun_reason,
            auth=self._auth(settings),
            data=form,
        )

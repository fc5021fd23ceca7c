"""Twilio SMS over its REST API (2010-04-01), HTTP basic auth with the account SID and token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar
from urllib.parse import quote

import httpx

from partnerhub.providers._http import call, json_body
from partnerhub.providers.base import Message, Provider, SettingField, Transports

DEFAULT_BASE_URL = "https://api.twilio.com"


def twilio_reason(response: httpx.Response) -> str | None:
    body = json_body(response)
    if isinstance(body, dict) and body.get("message"):
        code = body.get("code")
        return f"{body['message']} (code {code})" if code else str(body["message"])
    return None


class Twilio(Provider):
    id = "1000"
    type = "sms"
    name = "twilio"
    service = "twilio"
    logo = "https://www.twilio.com/favicon.ico"
    settings_schema: ClassVar[tuple[SettingField, ...]] = (
        SettingField("account_sid", "Account SID"),
        SettingField("auth_token", "Auth Token", secret=True),
        SettingField("default_phone_number", "Default Phone Number"),
    )

    def _account_url(self, settings: Mapping[str, str], transports: Transports) -> str:
        base = transports.base_url(self.service, DEFAULT_BASE_URL)
        return f"{base}/2010-04-01/Accounts/{quote(settings['account_sid'], safe='')}"

    @staticmethod
    def _auth(settings: Mapping[str, str]) -> httpx.BasicAuth:
        return httpx.BasicAuth(settings["account_sid"], settings["auth_token"])

    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        url = f"{self._account_url(settings, transports)}.json"
        await call(
            self, settings, transports, "GET", url, reason=twilio_reason, auth=self._auth(settings)
        )

    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        url = f"{self._account_url(settings, transports)}/Messages.json"
        form = {"To": message.recipient, "From": self.sender(settings), "Body": message.body}
        await call(
            self,
            settings,
            transports,
            "POST",
            url,
            reason=twilio_reason,
            auth=self._auth(settings),
            data=form,
        )

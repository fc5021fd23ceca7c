"""Any SMTP server (the custom e-mail provider): STARTTLS, implicit TLS or plain, then login."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import ClassVar

import aiosmtplib

from partnerhub.domain.numbers import ascii_int
from partnerhub.errors import ProblemList
from partnerhub.providers._failures import describe, known_cause
from partnerhub.providers.base import (
    NO_SUBJECT,
    Message,
    Provider,
    ProviderError,
    SettingField,
    Transports,
)

TLS_MODES = ("starttls", "tls", "none")


class CustomEmail(Provider):
    id = "1001"
    type = "email"
    name = "custom_email_provider"
    service = "smtp"
    settings_schema: ClassVar[tuple[SettingField, ...]] = (
        SettingField("default_sender_email", "Default Sender Email"),
        SettingField("default_sender_name", "Default Sender Name"),
        SettingField("username", "Username"),
        SettingField("password", "Password", secret=True),
        SettingField("port", "Port"),
        SettingField("sending_domain", "Sending Domain"),
        SettingField("host", "SMTP Host"),
        SettingField("tls_mode", "TLS Mode (starttls, tls or none)", required=False),
    )

    def check_values(self, settings: Mapping[str, str], problems: ProblemList) -> None:
        port = settings.get("port")
        if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            problems.add("settings.port", "settings.port must be a port number from 1 to 65535.")
        mode = settings.get("tls_mode")
        if mode is not None and mode not in TLS_MODES:
            problems.add(
                "settings.tls_mode", f"settings.tls_mode must be one of {', '.join(TLS_MODES)}."
            )

    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        await self._session(settings, transports, None)

    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        try:
            email = self._email(settings, message)
        except ValueError as exc:
            raise self.error(settings, f"cannot build the message ({exc})") from None
        await self._session(settings, transports, email)

    def _email(self, settings: Mapping[str, str], message: Message) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender(settings)
        email["To"] = message.recipient
        email["Subject"] = message.subject or NO_SUBJECT
        email["Date"] = formatdate(localtime=False, usegmt=True)
        email["Message-ID"] = make_msgid(domain=settings["sending_domain"])
        email.set_content(message.body)
        return email

    async def _session(
        self, settings: Mapping[str, str], transports: Transports, email: EmailMessage | None
    ) -> None:
        host, port_text = settings["host"], settings["port"]
        port = ascii_int(port_text, max_digits=5)
        if port is None:
            raise self.error(settings, f"invalid port {port_text!r}")
        mode = settings.get("tls_mode", "starttls")
        try:
            client = aiosmtplib.SMTP(
                hostname=host,
                port=port,
                username=settings["username"],
                password=settings["password"],
                local_hostname=settings["sending_domain"],
                timeout=transports.timeout,
                use_tls=mode == "tls",
                start_tls=mode == "starttls",
                tls_context=None if mode == "none" else self._tls_context(transports),
            )
            async with client:
                if email is not None:
                    await client.send_message(email, sender=settings["default_sender_email"])
        except ProviderError:
            raise
        except aiosmtplib.SMTPResponseException as exc:
            raise self.error(settings, f"{exc.code} {exc.message}") from None
        except aiosmtplib.SMTPRecipientsRefused as exc:
            first = exc.recipients[0]
            raise self.error(settings, f"{first.code} {first.message}") from None
        except aiosmtplib.SMTPServerDisconnected as exc:
            reason = known_cause(exc, host, port, transports.timeout)
            raise self.error(
                settings, reason or f"{host}:{port} closed the connection ({exc.message})"
            ) from None
        except aiosmtplib.SMTPException as exc:
            reason = known_cause(exc, host, port, transports.timeout) or exc.message
            raise self.error(settings, reason) from None
        except OSError as exc:
            raise self.error(settings, describe(exc, host, port, transports.timeout)) from None

    def _tls_context(self, transports: Transports) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if transports.smtp_ca_file:
            try:
                context.load_verify_locations(cafile=transports.smtp_ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise ProviderError(
                    f"{self.service}: cannot load the CA file {transports.smtp_ca_file} ({exc})"
                ) from None
        return context

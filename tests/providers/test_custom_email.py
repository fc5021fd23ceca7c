from __future__ import annotations

import time

import pytest

from partnerhub.providers import REGISTRY, Message, ProviderError
from provider_servers import MakeTransports, SmtpServer

smtp_provider = REGISTRY["1001"]
NO_HTTP = "http://127.0.0.1:1"


def settings_for(server: SmtpServer, **changes: str) -> dict[str, str]:
    settings = {
        "default_sender_email": "noreply@example.com",
        "default_sender_name": "Partner Hub",
        "username": server.username,
        "password": server.password,
        "port": str(server.port),
        "sending_domain": "example.com",
        "host": server.host,
    }
    return settings | changes


async def test_validate_logs_in_over_starttls(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    await smtp_provider.validate(settings_for(smtp), make_transports(NO_HTTP))
    assert smtp.logins == [smtp.username]
    assert smtp.messages == []


async def test_send_delivers_over_starttls_after_login(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    message = Message("bob@example.org", "Hello Bob,\nall good.", "Greetings")
    await smtp_provider.send(settings_for(smtp), make_transports(NO_HTTP), message)
    [received] = smtp.messages
    assert received.authenticated_as == smtp.username
    assert received.mail_from == "noreply@example.com"
    assert received.rcpt_tos == ["bob@example.org"]
    email = received.message()
    assert email["From"] == "Partner Hub <noreply@example.com>"
    assert email["To"] == "bob@example.org"
    assert email["Subject"] == "Greetings"
    assert email["Message-ID"].endswith("@example.com>")
    assert email.get_content() == "Hello Bob,\nall good.\n"


async def test_send_over_implicit_tls(
    smtp_implicit_tls: SmtpServer, make_transports: MakeTransports
) -> None:
    settings = settings_for(smtp_implicit_tls, tls_mode="tls")
    await smtp_provider.send(settings, make_transports(NO_HTTP), Message("bob@example.org", "Hi"))
    [received] = smtp_implicit_tls.messages
    assert received.message()["Subject"] == "(no subject)"


async def test_wrong_password_quotes_the_server(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    settings = settings_for(smtp, password="not-the-password")
    transports = make_transports(NO_HTTP)
    with pytest.raises(ProviderError) as validating:
        await smtp_provider.validate(settings, transports)
    with pytest.raises(ProviderError) as sending:
        await smtp_provider.send(settings, transports, Message("bob@example.org", "Hi"))
    expected = "smtp: 535 5.7.8 Authentication credentials invalid"
    assert validating.value.message == sending.value.message == expected
    assert smtp.messages == []


async def test_closed_port_is_refused(
    smtp: SmtpServer, refused_port: int, make_transports: MakeTransports
) -> None:
    settings = settings_for(smtp, port=str(refused_port))
    with pytest.raises(ProviderError) as err:
        await smtp_provider.validate(settings, make_transports(NO_HTTP))
    assert err.value.message == f"smtp: connection refused by 127.0.0.1:{refused_port}"


async def test_silent_server_times_out(
    smtp: SmtpServer, silent_port: int, make_transports: MakeTransports
) -> None:
    settings = settings_for(smtp, port=str(silent_port))
    started = time.monotonic()
    with pytest.raises(ProviderError) as err:
        await smtp_provider.validate(settings, make_transports(NO_HTTP, timeout=0.5))
    assert err.value.message == f"smtp: no answer from 127.0.0.1:{silent_port} within 0.5 s"
    assert time.monotonic() - started < 3


async def test_untrusted_certificate_is_refused(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    transports = make_transports(NO_HTTP)
    untrusting = type(transports)(transports.http, transports.timeout, {}, smtp_ca_file=None)
    with pytest.raises(ProviderError) as err:
        await smtp_provider.validate(settings_for(smtp), untrusting)
    assert err.value.message.startswith(f"smtp: TLS certificate of 127.0.0.1:{smtp.port}")
    assert smtp.logins == []


async def test_implicit_tls_against_a_starttls_server_names_tls(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    with pytest.raises(ProviderError) as err:
        await smtp_provider.validate(settings_for(smtp, tls_mode="tls"), make_transports(NO_HTTP))
    assert err.value.message.startswith(f"smtp: TLS failure with 127.0.0.1:{smtp.port}")


async def test_no_tls_mode_cannot_log_in_where_tls_is_required(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    with pytest.raises(ProviderError) as err:
        await smtp_provider.validate(settings_for(smtp, tls_mode="none"), make_transports(NO_HTTP))
    assert err.value.message.startswith("smtp: The SMTP AUTH extension is not supported")


async def test_missing_ca_file_is_a_provider_error(
    smtp: SmtpServer, make_transports: MakeTransports, tmp_path: object
) -> None:
    transports = make_transports(NO_HTTP)
    missing = type(transports)(transports.http, 1.0, {}, smtp_ca_file="/nonexistent/ca.pem")
    with pytest.raises(ProviderError, match="cannot load the CA file"):
        await smtp_provider.validate(settings_for(smtp), missing)


async def test_header_injection_is_refused(
    smtp: SmtpServer, make_transports: MakeTransports
) -> None:
    message = Message("bob@example.org\r\nBcc: eve@example.org", "Hi")
    with pytest.raises(ProviderError, match=r"^smtp: cannot build the message"):
        await smtp_provider.send(settings_for(smtp), make_transports(NO_HTTP), message)
    assert smtp.messages == []

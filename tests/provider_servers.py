"""Local stand-ins for the providers' services, all on 127.0.0.1 and started by the tests.

- `http_stub(routes)`: an HTTP server in a thread that records every request and answers from a
  route table; `twilio_routes`, `sendgrid_routes` and `mailgun_routes` answer like those APIs
  (success, and their 400/401 bodies when the auth header or a required field is wrong).
- `tls_files(directory)`: a test CA and a certificate for localhost / 127.0.0.1 signed by it.
- `smtp_server(tls, ...)`: aiosmtpd with STARTTLS (or implicit TLS) and AUTH LOGIN/PLAIN required.
- `silent_server()`: accepts connections and never answers; `closed_port()`: nothing listens.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from partnerhub.providers import Transports

HOST = "127.0.0.1"
MakeTransports = Callable[..., Transports]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    return free_port()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never sends a byte; yields the port."""
    listener = socket.create_server((HOST, 0))
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


# --- HTTP stub ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body)

    def basic_auth(self) -> tuple[str, str] | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        user, _, password = base64.b64decode(value).decode().partition(":")
        return user, password

    def bearer(self) -> str | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        return value if scheme.lower() == "bearer" else None


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"

    @classmethod
    def json(cls, status: int, payload: Any) -> Reply:
        return cls(status, json.dumps(payload).encode())

    @classmethod
    def text(cls, status: int, text: str) -> Reply:
        return cls(status, text.encode(), "text/plain; charset=utf-8")


Handler = Callable[[Recorded, re.Match[str]], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str  # a regular expression the whole path must match
    handler: Handler


@dataclass
class HttpStub:
    url: str
    routes: list[Route]
    requests: list[Recorded] = field(default_factory=list)

    def answer(self, request: Recorded) -> Reply:
        self.requests.append(request)
        for route in self.routes:
            match = re.fullmatch(route.pattern, request.path)
            if route.method == request.method and match:
                return route.handler(request, match)
        return Reply.json(404, {"message": f"no route for {request.method} {request.path}"})


@contextmanager
def http_stub(routes: list[Route]) -> Iterator[HttpStub]:
    server = ThreadingHTTPServer((HOST, 0), _StubHandler)
    stub = HttpStub(f"http://{HOST}:{server.server_address[1]}", routes)
    server.stub = stub  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        request = Recorded(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length),
        )
        reply = self.server.stub.answer(request)  # type: ignore[attr-defined]
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        return None


# --- vendor look-alikes ---------------------------------------------------------------------


def _twilio_error(status: int, code: int, message: str) -> Reply:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return Reply.json(
        status, {"code": code, "message": message, "more_info": more_info, "status": status}
    )


def twilio_routes(account_sid: str, auth_token: str) -> list[Route]:
    """GET /2010-04-01/Accounts/{sid}.json and POST …/Messages.json, basic auth sid:token."""

    def authorized(request: Recorded, match: re.Match[str]) -> bool:
        return request.basic_auth() == (account_sid, auth_token) and match["sid"] == account_sid

    def account(request: Recorded, match: re.Match[str]) -> Reply:
        if not authorized(request, match):
            return _twilio_error(401, 20003, "Authenticate")
        return Reply.json(
            200, {"sid": account_sid, "friendly_name": "Test", "status": "active", "type": "Full"}
        )

    def messages(request: Recorded, match: re.Match[str]) -> Reply:
        if not authorized(request, match):
            return _twilio_error(401, 20003, "Authenticate")
        form = request.form()
        if not form.get("To"):
            return _twilio_error(400, 21604, "A 'To' phone number is required.")
        if not form.get("From"):
            return _twilio_error(400, 21603, "A 'From' phone number is required.")
        if not form.get("Body"):
            return _twilio_error(400, 21602, "Message body is required.")
        return Reply.json(
            201,
            {
                "sid": "SM" + "0" * 32,
                "account_sid": account_sid,
                "to": form["To"],
                "from": form["From"],
                "body": form["Body"],
                "status": "queued",
            },
        )

    prefix = r"/2010-04-01/Accounts/(?P<sid>[^/]+)"
    return [
        Route("GET", prefix + r"\.json", account),
        Route("POST", prefix + r"/Messages\.json", messages),
    ]


def _sendgrid_error(status: int, message: str, field_name: str | None = None) -> Reply:
    return Reply.json(status, {"errors": [{"field": field_name, "message": message}]})


SENDGRID_BAD_KEY = "The provided authorization grant is invalid, expired, or revoked"


def sendgrid_routes(api_key: str) -> list[Route]:
    """GET /v3/scopes and POST /v3/mail/send, `Authorization: Bearer <api_key>`."""

    def scopes(request: Recorded, match: re.Match[str]) -> Reply:
        if request.bearer() != api_key:
            return _sendgrid_error(401, SENDGRID_BAD_KEY)
        return Reply.json(200, {"scopes": ["mail.send", "scopes.read"]})

    def mail_send(request: Recorded, match: re.Match[str]) -> Reply:
        if request.bearer() != api_key:
            return _sendgrid_error(401, SENDGRID_BAD_KEY)
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _sendgrid_error(400, "Content-Type should be application/json.")
        body = request.json()
        personalizations = body.get("personalizations") or []
        if not personalizations or not all(p.get("to") for p in personalizations):
            return _sendgrid_error(400, "The to parameter is required.", "personalizations.0.to")
        if not (body.get("from") or {}).get("email"):
            return _sendgrid_error(400, "The from object must be provided.", "from")
        if not body.get("subject"):
            return _sendgrid_error(400, "The subject is required.", "subject")
        content = body.get("content") or []
        if not content or not all(c.get("type") and c.get("value") for c in content):
            return _sendgrid_error(400, "The content value must be a string.", "content.0.value")
        return Reply(202)

    return [Route("GET", r"/v3/scopes", scopes), Route("POST", r"/v3/mail/send", mail_send)]


def mailgun_routes(api_key: str, domain: str) -> list[Route]:
    """GET /v3/domains/{domain} and POST /v3/{domain}/messages, basic auth api:<api_key>."""

    def domain_info(request: Recorded, match: re.Match[str]) -> Reply:
        if request.basic_auth() != ("api", api_key):
            return Reply.text(401, "Forbidden")
        if match["domain"] != domain:
            return Reply.json(404, {"message": "Domain not found"})
        return Reply.json(
            200,
            {
                "domain": {"name": domain, "state": "active", "type": "custom"},
                "receiving_dns_records": [],
                "sending_dns_records": [],
            },
        )

    def messages(request: Recorded, match: re.Match[str]) -> Reply:
        if request.basic_auth() != ("api", api_key):
            return Reply.text(401, "Forbidden")
        if match["domain"] != domain:
            return Reply.json(404, {"message": f"Domain not found: {match['domain']}"})
        form = request.form()
        for name in ("from", "to", "subject"):
            if not form.get(name):
                return Reply.json(400, {"message": f"'{name}' parameter is missing"})
        if not any(form.get(name) for name in ("text", "html", "amp-html", "template")):
            return Reply.json(
                400,
                {
                    "message": "Need at least one of 'text', 'html', 'amp-html' or 'template' "
                    "parameters specified"
                },
            )
        return Reply.json(
            200, {"id": f"<20240101000000.1@{domain}>", "message": "Queued. Thank you."}
        )

    return [
        Route("GET", r"/v3/domains/(?P<domain>[^/]+)", domain_info),
        Route("POST", r"/v3/(?P<domain>[^/]+)/messages", messages),
    ]


# --- TLS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    ca_file: str  # what a client trusts (Transports.smtp_ca_file)
    cert_file: str
    key_file: str

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _write_pem(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def tls_files(directory: Path) -> TlsFiles:
    """A throw-away CA and a server certificate for localhost and 127.0.0.1 it signed."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "partnerhub test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return TlsFiles(
        ca_file=_write_pem(directory / "ca.pem", ca_cert.public_bytes(pem)),
        cert_file=_write_pem(directory / "server.pem", cert.public_bytes(pem)),
        key_file=_write_pem(
            directory / "server.key",
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        ),
    )


# --- SMTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    authenticated_as: str | None

    def message(self) -> EmailMessage:
        """The message as sent, line endings as Python writes them (LF)."""
        parsed = message_from_bytes(self.content.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    host: str
    port: int
    username: str
    password: str
    messages: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def integration_settings(self, **overrides: str) -> dict[str, str]:
        """The settings of a custom SMTP integration (provider 1001) that sends through this
        server with STARTTLS and its login (its certificate names localhost)."""
        return {
            "host": "localhost",
            "port": str(self.port),
            "tls_mode": "starttls",
            "username": self.username,
            "password": self.password,
            "default_sender_email": "partners@example.com",
            "default_sender_name": "Partner Team",
            "sending_domain": "example.com",
            **overrides,
        }


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        login = session.auth_data
        self.server.messages.append(
            Received(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                content=content,
                authenticated_as=login.decode() if isinstance(login, bytes) else None,
            )
        )
        return "250 Message accepted for delivery"


class _ImplicitTlsSMTP(SMTPServer):
    """aiosmtpd counts only STARTTLS as TLS; a connection that is TLS from the start is too."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if transport.get_extra_info("ssl_object") is not None:
            self._tls_protocol = transport


class _Controller(Controller):
    def factory(self) -> SMTPServer:
        server_class = _ImplicitTlsSMTP if self.ssl_context else SMTPServer
        return server_class(self.handler, **self.SMTP_kwargs)


class _Authenticator:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    def __call__(
        self,
        smtp: SMTPServer,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (auth_data.login.decode(), auth_data.password.decode()) == (
            self.server.username,
            self.server.password,
        )
        if ok:
            self.server.logins.append(self.server.username)
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


@contextmanager
def smtp_server(
    tls: TlsFiles,
    *,
    username: str = "mailer",
    password: str = "s3cret-smtp-password",
    implicit_tls: bool = False,
) -> Iterator[SmtpServer]:
    """aiosmtpd on 127.0.0.1: STARTTLS required (or TLS from the first byte), then AUTH."""
    port = free_port()
    server = SmtpServer(HOST, port, username, password)
    context = tls.server_context()
    tls_options: dict[str, Any] = (
        {"ssl_context": context}
        if implicit_tls
        else {"tls_context": context, "require_starttls": True}
    )
    controller = _Controller(
        _Handler(server),
        hostname=HOST,
        port=port,
        ready_timeout=5,
        server_hostname="localhost",
        authenticator=_Authenticator(server),
        auth_required=True,
        auth_require_tls=True,
        **tls_options,
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()

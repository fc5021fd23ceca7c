"""Fixtures: the local provider servers and Transports pointing at them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from partnerhub.providers import Transports
from provider_servers import (
    MakeTransports,
    SmtpServer,
    TlsFiles,
    closed_port,
    silent_server,
    smtp_server,
    tls_files,
)

TIMEOUT = 1.0


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp(tls: TlsFiles) -> Iterator[SmtpServer]:
    with smtp_server(tls) as server:
        yield server


@pytest.fixture
def smtp_implicit_tls(tls: TlsFiles) -> Iterator[SmtpServer]:
    with smtp_server(tls, implicit_tls=True) as server:
        yield server


@pytest.fixture
def silent_port() -> Iterator[int]:
    with silent_server() as port:
        yield port


@pytest.fixture
def refused_port() -> int:
    return closed_port()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def make_transports(http: httpx.AsyncClient, tls: TlsFiles) -> MakeTransports:
    """Transports sending every HTTP provider to `base_url`, trusting the test CA for SMTP."""

    def make(base_url: str, timeout: float = TIMEOUT) -> Transports:
        urls = dict.fromkeys(("twilio", "sendgrid", "mailgun"), base_url)
        return Transports(http=http, timeout=timeout, base_urls=urls, smtp_ca_file=tls.ca_file)

    return make

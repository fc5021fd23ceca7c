"""Running uvicorn: its configuration from Settings, the workers, the HTTP protocol."""

from __future__ import annotations

import uvicorn
from uvicorn.supervisors import Multiprocess

from partnerhub.config import Settings
from partnerhub.ops.http import BODY_TIMEOUT, HEADER_TIMEOUT


def config(settings: Settings, app: str = "partnerhub.app:factory") -> uvicorn.Config:
    trusted = settings.trusted_proxy_list
    cfg = uvicorn.Config(
        app,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,  # records go through partnerhub's JSON logging (ops/logging)
        log_level="warning",
        access_log=False,  # the request middleware writes the access log
        loop=settings.server_event_loop,
        http="partnerhub.ops.http:DeadlineHttpProtocol",
        # X-Forwarded-For/-Proto only from the configured proxies; none by default.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or [],
        timeout_keep_alive=settings.keep_alive_timeout_seconds,
        server_header=False,
    )
    # uvicorn's Config reaches each worker whole (pickled): the protocol reads these from it.
    setattr(cfg, HEADER_TIMEOUT, settings.header_timeout_seconds)
    setattr(cfg, BODY_TIMEOUT, settings.body_timeout_seconds)
    return cfg


def run(settings: Settings) -> None:
    """uvicorn.run's own steps, with a Config built here."""
    cfg = config(settings)
    server = uvicorn.Server(cfg)
    if cfg.workers > 1:
        Multiprocess(cfg, sockets=[cfg.bind_socket()]).run()
    else:
        server.run()

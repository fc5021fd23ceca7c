"""Static files a page of this server loads (scripts, styles, images), served from a folder the
server ships under a versioned URL, never from a CDN.

Only the folder's files with a known suffix exist, looked up by name in a table built once: a
name is one path segment, so nothing outside the folder (`../`, a `%2f`) can be reached. The
URL carries a version, so the files are cached as immutable; a new version is a new URL. A file
is read once per process, on its first request, with its `rewrites` applied (a vendor bundle's
hard-coded off-site URL replaced, say).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import Response

from partnerhub.surfaces.common.errors import route_not_found

# Explicit rather than the platform's mimetypes table, which differs between systems.
MEDIA_TYPES: Mapping[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
}
IMMUTABLE = "public, max-age=31536000, immutable"
Rewrites = tuple[tuple[bytes, bytes], ...]


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@functools.cache
def _load(path: Path, rewrites: Rewrites) -> Asset:
    body = path.read_bytes()
    for old, new in rewrites:
        body = body.replace(old, new)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return Asset(body, MEDIA_TYPES[path.suffix], etag)


@dataclass(frozen=True)
class Assets:
    """The files of a folder at `url` (`/docs/assets/1.7.7`): `url_of(name)` for a page."""

    url: str
    files: Mapping[str, Path]
    rewrites: Mapping[str, Rewrites]

    @classmethod
    def of(
        cls, folder: Path, url: str, rewrites: Mapping[str, Mapping[bytes, bytes]] | None = None
    ) -> Assets:
        files = {
            path.name: path
            for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix in MEDIA_TYPES
        }
        if not files:
            raise FileNotFoundError(f"no servable files in {folder}")
        frozen = {name: tuple(pairs.items()) for name, pairs in (rewrites or {}).items()}
        return cls(url.rstrip("/"), files, frozen)

    def url_of(self, name: str, root_path: str = "") -> str:
        if name not in self.files:
            raise KeyError(name)
        return f"{root_path}{self.url}/{name}"

    def get(self, name: str) -> Asset | None:
        path = self.files.get(name)
        return None if path is None else _load(path, self.rewrites.get(name, ()))

    def install(self, app: FastAPI) -> None:
        @app.api_route(
            f"{self.url}/{{name}}",
            methods=["GET", "HEAD"],
            include_in_schema=False,
            name=f"assets:{self.url}",
        )
        async def asset(request: Request, name: str) -> Response:
            found = self.get(name)
            if found is None:
                raise route_not_found(request)
            headers = {
                "Cache-Control": IMMUTABLE,
                "ETag": found.etag,
                "X-Content-Type-Options": "nosniff",
            }
            if found.etag in request.headers.get("if-none-match", ""):
                return Response(status_code=304, headers=headers)
            if request.method == "HEAD":
                headers["Content-Length"] = str(len(found.body))
                return Response(media_type=found.media_type, headers=headers)
            return Response(found.body, media_type=found.media_type, headers=headers)

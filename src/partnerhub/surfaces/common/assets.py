"""Static files a page of this server loads (scripts, styles, images), served from a folder the
server ships under a versioned URL, never from a CDN.

Only the folder's files with a known suffix exist, looked up by name in a table built once: a
name is one path segment, so nothing outside the folder (`../`, a `%2f`) can be reached. The
URL carries a version, so the files are cached as immutable; a new version is a new URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import FileResponse, Response

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


@dataclass(frozen=True)
class Assets:
    """The files of `folder` at `url` (`/docs/assets/1.7.7`): `url_of(name)` for a page."""

    url: str
    files: Mapping[str, Path]

    @classmethod
    def of(cls, folder: Path, url: str) -> Assets:
        files = {
            path.name: path
            for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix in MEDIA_TYPES
        }
        if not files:
            raise FileNotFoundError(f"no servable files in {folder}")
        return cls(url.rstrip("/"), files)

    def url_of(self, name: str, root_path: str = "") -> str:
        if name not in self.files:
            raise KeyError(name)
        return f"{root_path}{self.url}/{name}"

    def install(self, app: FastAPI) -> None:
        files = self.files

        @app.api_route(
            f"{self.url}/{{name}}",
            methods=["GET", "HEAD"],
            include_in_schema=False,
            name=f"assets:{self.url}",
        )
        async def asset(request: Request, name: str) -> Response:
            path = files.get(name)
            if path is None:
                raise route_not_found(request)
            return FileResponse(
                path,
                media_type=MEDIA_TYPES[path.suffix],
                headers={"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"},
            )

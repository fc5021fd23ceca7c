"""A surface's router: FastAPI's, answering "no match" at once for paths outside the surface.

FastAPI tries the routes of the app in order, each included router's one by one, and a route's
match costs a few microseconds of bookkeeping besides its regular expression: a Core request
otherwise tried all 40 Hood routes first, and `/healthz` every route of every surface.
"""

from __future__ import annotations

import os

from fastapi import APIRouter
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def literal_prefix(routes: list[BaseRoute]) -> str:
    """The longest text every route's path starts with before its first parameter."""
    paths = [getattr(route, "path", "") for route in routes]
    if not paths:
        return ""
    # Character by character on purpose: a prefix that ends mid-segment guards as well.
    return os.path.commonprefix([path.split("{", 1)[0] for path in paths])  # noqa: RUF071


class SurfaceRouter(APIRouter):
    _guard: tuple[int, str] | None = None  # (route count it was computed for, prefix)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if not path.startswith(self._prefix()):
            return Match.NONE, {}
        return super().matches(scope)

    def _prefix(self) -> str:
        if self._guard is None or self._guard[0] != len(self.routes):
            self._guard = (len(self.routes), literal_prefix(self.routes))
        return self._guard[1]

"""Fixtures of the console's page tests (surfaces/console/kit.py)."""

from surfaces.console.kit import console, console_as

__all__ = ["console", "console_as"]

"""partnerhub: a self-hostable partner-management API server."""

__version__ = "0.1.0"

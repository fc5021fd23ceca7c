"""Ocamba Hood API v1 dialect (`/v1/hood`)."""

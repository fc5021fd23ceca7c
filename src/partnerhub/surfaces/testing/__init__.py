"""The test-control API (`/_partnerhub/test`, SPEC §5): reset, snapshots, the request journal
and injected faults, for admin tokens, only when PARTNERHUB_TEST_API=true."""

from partnerhub.surfaces.testing.routes import router
from partnerhub.surfaces.testing.routing import PREFIX

__all__ = ["PREFIX", "router"]

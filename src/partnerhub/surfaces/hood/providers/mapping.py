"""Hood provider wire."""

from __future__ import annotations

from typing import Any

from partnerhub.providers import Provider


def provider_wire(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.id,
        "type": provider.type,
        "name": provider.name,
        "logo": provider.logo,
        "settings": [
            {
                "title": f.title,
                "name": f.name,
                "type": f.type,
                "required": f.required,
                "deprecated": f.deprecated,
            }
            for f in provider.settings_schema
        ],
    }

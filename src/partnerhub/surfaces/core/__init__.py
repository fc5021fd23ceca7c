"""The Core surface (`/core/v2`): CarrierX Core API v2 compatible partners and OAuth tokens."""

"""Pure rules and types: no web, no storage."""

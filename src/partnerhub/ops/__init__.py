"""Request ids, structured logs, metrics and health."""

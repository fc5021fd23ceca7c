"""Hood providers (read-only, built in): routes, wire models and mapping."""

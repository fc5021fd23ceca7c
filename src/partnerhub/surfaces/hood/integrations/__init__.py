"""Hood integrations: routes, wire models and mapping."""

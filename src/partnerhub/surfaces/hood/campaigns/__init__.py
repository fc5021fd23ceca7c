"""Hood campaigns: routes, wire models and mapping."""

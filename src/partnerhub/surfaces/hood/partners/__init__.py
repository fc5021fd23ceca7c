"""Hood partners: routes, wire models and mapping."""

"""Hood partner contacts: routes, wire models and mapping."""

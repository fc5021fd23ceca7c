"""Hood deals: routes, wire models and mapping."""

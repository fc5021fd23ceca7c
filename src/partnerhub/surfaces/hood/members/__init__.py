"""Hood members (account managers): routes, wire models and mapping."""

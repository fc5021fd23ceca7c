"""Use-cases: one per operation, run inside the caller's unit of work; they never commit."""

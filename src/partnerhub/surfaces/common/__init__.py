"""What every surface shares: body reading, auth, rate limits, idempotency, rendering."""

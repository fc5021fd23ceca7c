"""Token minting and hashing, scope catalogue, password hashing."""

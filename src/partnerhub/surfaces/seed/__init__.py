"""Seed files: accounts and their data in the wire shapes of the three APIs, loaded through
the services (`partnerhub seed FILE`, `partnerhub serve --seed FILE`)."""

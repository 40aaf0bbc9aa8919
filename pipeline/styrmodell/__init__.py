"""Governance models (styrmodeller) as data: the schema, the loader and one shipped profile
per municipality in `profiles/` (a new municipality is a new file)."""

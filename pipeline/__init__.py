"""attsats: reads Swedish municipal decision papers into one `Document`.

Rooms by role, imports one way (top to bottom; enforced by import-linter in `make test`):
`cli` → `service` / `evaluation` → `outputs` → `stages` → `nlp` / `styrmodell` → the contract
(`document`, `errors`, `resources`). `extractors` (one backend per format) sees only the contract.
"""

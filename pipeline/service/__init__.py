"""The plain-Python cores of the long-running work: the inbox, batches over folders and
archives, bundles split into papers, and the ledger. `flows/` wraps them for Prefect."""

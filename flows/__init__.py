"""Prefect only: flows and tasks a few lines over `pipeline.service`; no logic of their own.

Log records are masked (`pipeline.privacy`) in every process that runs a flow or task,
process-pool workers included, since each imports this package.
"""

from pipeline.privacy import install_log_masking

install_log_masking()

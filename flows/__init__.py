"""Prefect only: flows and tasks a few lines over `pipeline.service`; no logic of their own."""

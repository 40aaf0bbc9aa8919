"""Deployments for the scale-out set-up: a process work pool on a Prefect server.

`attsats serve` registers them; `prefect worker start --pool attsats` runs them. The
worker starts each flow run as a process in this checkout, so the code it runs is the
code registered here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.exceptions import ObjectAlreadyExists
from prefect.workers.process import ProcessWorker

ROOT = Path(__file__).resolve().parents[1]
POOL = "attsats"
DEPLOYMENTS = {
    "batch": "flows/batch_flow.py:batch_flow",
    "dokument": "flows/document_flow.py:process_document",
    "inkorg": "flows/inbox_flow.py:inbox_flow",
}


def ensure_pool(name: str) -> None:
    """Create the process work pool unless it exists."""
    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(
            WorkPoolCreate(
                name=name,
                type="process",
                base_job_template=ProcessWorker.get_default_base_job_template(),
            )
        )


def register(pool: str = POOL) -> list[str]:
    """Register every deployment on `pool`; returns their full names (flow/deployment)."""
    ensure_pool(pool)
    names = []
    for name, entrypoint in DEPLOYMENTS.items():
        loaded = flow.from_source(source=str(ROOT), entrypoint=entrypoint)
        loaded.deploy(
            name=name,
            work_pool_name=pool,
            ignore_warnings=True,
            print_next_steps=False,
        )
        names.append(f"{loaded.name}/{name}")
    return names

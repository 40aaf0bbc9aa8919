"""A normal test run must compare against golden files, never rewrite them."""

import os


def test_golden_update_flag_is_off() -> None:
    assert os.environ.get("ATTSATS_UPDATE_GOLDEN") != "1", (
        "ATTSATS_UPDATE_GOLDEN=1 rewrites golden files; use `make golden`, never `make test`"
    )

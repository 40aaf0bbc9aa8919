"""Small pure helpers of the report: percentiles, ratios, growth, targets."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """The `q`-th percentile (0-100) by linear interpolation between the closest ranks
    (numpy's default); None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0-100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None when either is missing or b is not positive."""
    if a is None or b is None or b <= 0:
        return None
    return a / b


def growth(first: float | None, last: float | None) -> float | None:
    """How much `last` exceeds `first`, as a fraction of `first` (0.1 = 10 % more)."""
    r = ratio(last, first)
    return None if r is None else r - 1


def share(part: float | None, whole: float | None) -> float | None:
    """`part` as a fraction of `whole`."""
    return ratio(part, whole)


def verdict(value: float | None, target: float, at_most: bool) -> str:
    """`met`, `missed`, or `not measured` for a value against its target."""
    if value is None:
        return "not measured"
    return "met" if (value <= target if at_most else value >= target) else "missed"


def per_second(count: float, seconds: float | None) -> float | None:
    return ratio(count, seconds)

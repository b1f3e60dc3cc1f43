"""Statistics the benchmarks report, defined once so every figure means the same thing."""

from __future__ import annotations

import math
import resource
from collections.abc import Iterable
from decimal import Decimal


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank: the smallest value that at least ``p`` % of the
    values do not exceed (always one of the values; p99 of 200 is the 198th smallest)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not between 0 and 100")
    # In decimal, as the percent is written: in binary 0.95 × 100 is a hair over 95, a rank too far.
    rank = math.ceil(Decimal(str(p)) * len(ordered) / 100)
    return ordered[max(rank, 1) - 1]


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished child processes (a large ingest
    reads facts in a second process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

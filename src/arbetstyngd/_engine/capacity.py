"""The capacity chain, written once: P, then × fte, then × (1 − reduction), then × each factor.

The engine runs it on arrays (every worker, one date or many); :meth:`Workload.explain` runs
it on one worker's numbers to show each step. Both take the same operations in the same
order, so the last step of an explanation is the engine's capacity bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["capacity_chain"]


def capacity_chain(
    normal_load: float, fte: Any, reduction: Any, factors: Iterable[tuple[str, Any, Any]]
) -> list[tuple[str, Any, Any, Any]]:
    """Each step as ``(step, value, factor, capacity after the step)``.

    ``factors`` holds ``(name, covariate value, factor)`` per adjustment, in scheme order.
    Works on numbers and on numpy arrays alike (``fte`` and ``reduction`` broadcast).

    Examples
    --------
    >>> [round(c, 2) for *_, c in capacity_chain(100.0, 0.5, 0.2, [("experience", 3, 0.8)])]
    [100.0, 50.0, 40.0, 32.0]
    """
    capacity = normal_load
    steps: list[tuple[str, Any, Any, Any]] = [("normal_load", normal_load, normal_load, capacity)]
    capacity = capacity * fte
    steps.append(("fte", fte, fte, capacity))
    available = 1.0 - reduction
    capacity = capacity * available
    steps.append(("reduction", reduction, available, capacity))
    for name, value, factor in factors:
        capacity = capacity * factor
        steps.append((name, value, factor, capacity))
    return steps

"""Latency phases beyond the base one: with ``gc.freeze()``, and a rate ladder."""

from __future__ import annotations

import gc
from typing import Any

from scripts.bench.phases import SimProcess, Target, latency

P99_LIMIT_MS = 10.0
LADDER_RATES = (100, 250, 500, 1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000)


async def latency_frozen(
    sim: SimProcess, target: Target, rate: float, seconds: float
) -> dict[str, Any]:
    """The latency run after ``gc.freeze()``: setup's objects leave the collector.

    Everything alive now (entities, registries, the loaded modules) moves to the
    permanent generation, so no young or full pass walks it again; the freeze is
    undone afterwards so later phases see the ordinary collector.
    """
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        result = await latency(sim, target, rate, seconds)
    finally:
        gc.unfreeze()
    result["frozen_objects"] = frozen
    return result


async def latency_ladder(
    sim: SimProcess, target: Target, seconds: float
) -> dict[str, Any]:
    """Raise the rate until p99 send -> state reaches ``P99_LIMIT_MS``."""
    steps: list[dict[str, Any]] = []
    best = 0
    for rate in LADDER_RATES:
        step = await latency(sim, target, rate, seconds)
        step["rate"] = rate
        steps.append(step)
        if "error" in step or step["p99_ms"] >= P99_LIMIT_MS:
            break
        best = rate
    return {"steps": steps, "max_rate": best}

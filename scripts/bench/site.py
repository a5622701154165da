"""The benchmark's site: 500 pieces of non-camera hardware beside the cameras.

The integration role runs with the site present throughout, so its setup
time, memory and REST figures are those of a whole site. Two site figures
are its own:

- while the site is quiet, each kind's list call per hour against its
  refresh interval (one call per interval whatever the device count);
- while the site drifts (every climate sensor and E50 reports each second),
  how many list calls the stream's hints cost: a burst of CLIMATE_STATE
  messages within the hint cooldown is one call.
"""

from __future__ import annotations

from collections.abc import Sequence
import itertools
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.rhombus.aiorhombus import SiteKind
from custom_components.rhombus.site.coordinator import HINT_COOLDOWN, REFRESH_INTERVALS
from scripts.bench.phases import SimProcess
from simulator.site_world import CLIMATE_SENSOR, ENVIRONMENTAL_GATEWAY, PATHS

SITE_DEVICES = 500
# Seconds of a drifting site (every climate device reports each second).
HINT_SECONDS = 20
# Each kind's list call (access control's shadows call follows its doors call).
_LIST_PATHS: dict[str, str] = {paths[0]: kind for kind, paths in PATHS.items()}
# Every call a site's refresh makes (not what an alert costs).
SITE_PATHS: frozenset[str] = frozenset(
    path for paths in PATHS.values() for path in paths if "unlock" not in path
)
_COLUMNS = "{:<64} {:>11} {:>22}  {:<26} {}"


def site_calls(
    calls: Sequence[tuple[float, str]], start: float, end: float
) -> dict[str, dict[str, Any]]:
    """Per kind: its list calls between ``start`` and ``end``, the closest gap."""
    by_kind: dict[str, dict[str, Any]] = {}
    for path, kind in _LIST_PATHS.items():
        stamps = sorted(at for at, seen in calls if seen == path and start <= at < end)
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        by_kind[kind] = {
            "calls": len(stamps),
            "min_gap": min(gaps) if gaps else None,
            "interval": REFRESH_INTERVALS[SiteKind(kind)].total_seconds(),
        }
    return by_kind


async def site_hints(sim: SimProcess, steps: int) -> dict[str, Any]:
    """Drift the site once a second; count the climate list calls it caused."""
    answer = await sim.call("site_steps", count=steps, interval=1.0)
    calls = [(at, path) for at, path in (await sim.call("calls"))["calls"]]
    # The last hint's refresh lands up to one cooldown after the last tick.
    end = answer["ended"] + HINT_COOLDOWN + 1.0
    by_kind = site_calls(calls, answer["started"], end)
    return {
        "seconds": end - answer["started"],
        "climate_messages": answer["climate_messages"],
        "gateway_messages": answer["gateway_messages"],
        "climate_calls": by_kind[CLIMATE_SENSOR]["calls"],
        "gateway_calls": by_kind[ENVIRONMENTAL_GATEWAY]["calls"],
    }


async def site_figures(
    hass: HomeAssistant, sim: SimProcess, entry_id: str, rest: dict[str, Any]
) -> dict[str, Any]:
    """The quiet window's list calls per kind, then a drifting site's hints."""
    start = rest["window_start"]
    end = start + rest["window_seconds"]
    quiet = site_calls(rest.pop("calls"), start, end)
    site = set(sim.info["site"])
    site_entities = sum(
        1
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
        if entity.unique_id.split("_", 1)[0] in site
    )
    return {
        "devices": len(site),
        "entities": site_entities,
        "window_seconds": rest["window_seconds"],
        "quiet": quiet,
        "hints": await site_hints(sim, HINT_SECONDS),
    }


def _line(name: str, ours: str, detail: str, target: str, *, ok: bool | None) -> str:
    met = "" if ok is None else ("yes" if ok else "NO")
    return _COLUMNS.format(name, ours, detail, target, met).rstrip()


def site_rows(site: dict[str, Any]) -> list[str]:
    """The quiet site's calls per kind, then the hinted calls under drift."""
    window = site["window_seconds"]
    rows = [
        (
            f"Site: {site['devices']:,} devices beside the cameras "
            f"({site['entities']:,} entities); list calls while quiet, {window:.0f} s"
        ),
        _COLUMNS.format("Kind", "Calls/hour", "calls, closest gap", "Target", "Met"),
    ]
    for kind, figures in site["quiet"].items():
        interval, gap = figures["interval"], figures["min_gap"]
        rows.append(
            _line(
                kind,
                f"{figures['calls'] * 3600 / window:.1f}",
                f"{figures['calls']}, {'-' if gap is None else f'{gap:.0f} s'}",
                f"<= {3600 / interval:g} (1 per {interval:g} s)",
                ok=None if gap is None else gap >= interval - 1,
            )
        )
    hints = site["hints"]
    seconds = hints["seconds"]
    for label, messages, calls in (
        ("E1/E2/E15", hints["climate_messages"], hints["climate_calls"]),
        ("E50", hints["gateway_messages"], hints["gateway_calls"]),
    ):
        rows.append(
            _line(
                f"Hinted {label} list calls, {messages:,} stream messages "
                f"in {seconds:.0f} s",
                f"{calls}",
                f"{messages / max(calls, 1):,.0f} messages per call",
                f"<= 1 per {HINT_COOLDOWN:g} s ({seconds / HINT_COOLDOWN:.0f})",
                ok=calls <= seconds / HINT_COOLDOWN,
            )
        )
    return rows

"""The benchmark's printed table: each figure, its target, the ratio to the floor."""

from __future__ import annotations

from typing import Any

from scripts.bench.controls import control_rows
from scripts.bench.site import site_rows
from scripts.bench.targets import (
    GROWTH_TARGET_PCT,
    SETUP_TARGET_S,
    recorder_rows,
    target_rows,
)

CAMERA_LIST_INTERVAL_S = 300.0
_COLUMNS = "{:<64} {:>11} {:>10} {:>6} {:>10} {:>6}  {:<20} {}"
HEADER = _COLUMNS.format(
    "Figure", "Integration", "Same-work", "x", "Raw floor", "x", "Target", "Met"
)


def _met(ok: bool | None) -> str:  # noqa: FBT001
    return "n/a" if ok is None else ("yes" if ok else "NO")


def _ratio(ours: float, floor: float | None) -> str:
    if not floor:
        return ""
    return f"{ours / floor:.2f}x"


def _row(name: str, *cells: str, target: str = "", ok: bool | None = None) -> str:
    """A figure, then up to five cells: ours, same-work, x, raw floor, x."""
    padded = [*cells, *[""] * (5 - len(cells))]
    met = _met(ok) if target else ""
    return _COLUMNS.format(name, *padded, target, met).rstrip()


def _figure(
    name: str, key: tuple[str, str], roles: tuple[dict[str, Any], ...], fmt: str
) -> str:
    """One figure of the three roles, with both ratios."""
    ours, same, raw = (role[key[0]][key[1]] for role in roles)
    return _row(
        name,
        format(ours, fmt),
        format(same, fmt),
        _ratio(ours, same),
        format(raw, fmt),
        _ratio(ours, raw),
    )


def _alert_rows(
    integration: dict[str, Any], same: dict[str, Any], raw: dict[str, Any]
) -> list[str]:
    roles = (integration, same, raw)
    rate = integration["cpu"]["rate"]
    rows = [
        _figure(
            f"Loop CPU per message at {rate:,.0f}/s (us)",
            ("cpu", "us_per_alert"),
            roles,
            ".1f",
        ),
        _figure(
            "Loop CPU per message, as fast as sent (us)",
            ("flood", "us_per_alert"),
            roles,
            ".1f",
        ),
    ]
    rates = []
    for role in roles:
        sweep = role["sweep"]
        open_ended = sweep["sim_bound"] or sweep["steps"][-1]["ok"]
        rates.append(f"{'>=' if open_ended else ''}{sweep['max_rate']:,}")
    rows.append(
        _row(
            "Highest sustained messages/s, recorder off",
            rates[0],
            rates[1],
            "",
            rates[2],
        )
    )
    for key, label in (
        ("latency", "GC as is"),
        ("latency_frozen", "after gc.freeze()"),
    ):
        lats = [role[key] for role in roles]
        if any("error" in lat for lat in lats):
            error = next(lat["error"] for lat in lats if "error" in lat)
            rows.append(_row(f"Latency at 500/s ({label}): {error}", "n/a"))
            continue
        for field, name in (
            ("p50_ms", "p50"),
            ("p99_ms", "p99"),
            ("max_ms", "max"),
            ("young_gc_ms", "longest young GC pause"),
        ):
            rows.append(
                _figure(
                    f"Latency at 500/s, {name} ({label}) (ms)",
                    (key, field),
                    roles,
                    ".2f",
                )
            )
        rows.append(
            _row(
                f"Full GC passes during it ({label}; longest, ms)",
                *(f"{lat['full_gc']} ({lat['full_gc_ms']:.0f})" for lat in lats[:2]),
                "",
                f"{lats[2]['full_gc']} ({lats[2]['full_gc_ms']:.0f})",
            )
        )
    return rows


def _setup_rows(setups: list[dict[str, Any]]) -> list[str]:
    rows = []
    for setup in setups:
        largest = setup is setups[-1]
        site = setup.get("site_devices", 0)
        what = f"{setup['cameras']:,} cameras" + (f" + {site} devices" if site else "")
        rows.append(
            _row(
                f"Setup, {what} ({setup['entities']:,} entities, "
                f"{setup['enabled']:,} enabled) (s)",
                f"{setup['seconds']:.2f}",
                target=f"< {SETUP_TARGET_S:g} s" if largest else "",
                ok=setup["seconds"] < SETUP_TARGET_S if largest else None,
            )
        )
    return rows


def _memory_rows(memory: dict[str, Any]) -> list[str]:
    return [
        _row(
            "Resident memory after warm-up (MiB)",
            f"{memory['rss_before_kib'] / 1024:.1f}",
        ),
        _row(
            f"Resident memory after {memory['count']:,} more alerts (MiB)",
            f"{memory['rss_after_kib'] / 1024:.1f}",
        ),
        _row(
            "Memory growth",
            f"{memory['growth_pct']:+.2f}%",
            target=f"< {GROWTH_TARGET_PCT:g}%",
            ok=memory["growth_pct"] < GROWTH_TARGET_PCT,
        ),
        _row(
            f"CPU per alert on the loop over those, at {memory['rate']:,.0f}/s (us)",
            f"{memory['us_per_alert']:.1f}",
        ),
        _row(
            f"Full GC passes over those ({memory['objects']:,} objects; longest, ms)",
            f"{memory['full_gc']} ({memory['full_gc_ms']:.0f})",
        ),
    ]


def _rest_rows(rest: dict[str, Any]) -> list[str]:
    window, alerts = rest["window_seconds"], rest["alerts"]
    lists, gap = rest["camera_list"], rest["min_camera_list_gap"]
    if window >= CAMERA_LIST_INTERVAL_S:
        per_hour = f"{lists * 3600 / window:.1f}"
        ok: bool | None = gap is None or gap >= CAMERA_LIST_INTERVAL_S - 1
    else:
        per_hour = "n/a"
        ok = lists == 0 or None
    gap_text = "" if gap is None else f", closest {gap:.0f} s apart"
    return [
        _row(
            f"REST calls per alert ({rest['other']} in {alerts:,} alerts)",
            f"{rest['other'] / max(alerts, 1):g}",
            target="0",
            ok=rest["other"] == 0,
        ),
        _row(
            f"REST calls per hour besides lists and polls ({window:.0f} s)",
            f"{rest['other'] * 3600 / window:.1f}",
        ),
        _row(
            f"Camera-list calls per hour ({lists} in {window:.0f} s{gap_text})",
            per_hour,
            target="<= 12 (1 per 5 min)",
            ok=ok,
        ),
        *(control_rows(rest["controls"], _row) if "controls" in rest else []),
    ]


def _sweep_rows(title: str, columns: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        (
            f"{title}: asked/s, sent/s, last message handled after (ms), loop "
            "CPU per message (us); * = kept up"
        ),
        f"  {'asked':>7} | " + " | ".join(f"{name:^30}" for name in columns),
    ]
    steps = [
        {step["rate"]: step for step in role["sweep"]["steps"]}
        for role in columns.values()
    ]

    def cell(step: dict[str, Any] | None) -> str:
        if step is None:
            return f"{'':30}"
        mark = "*" if step["ok"] else " "
        return (
            f"{step['achieved']:>9,.0f} {step['drain_ms']:>9.1f} "
            f"{step['us_per_alert']:>8.1f} {mark}"
        )

    rates = sorted(set().union(*steps))
    rows.extend(
        f"  {rate:>7,} | " + " | ".join(cell(role.get(rate)) for role in steps)
        for rate in rates
    )
    return rows


def _profile_rows(role: str, profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return []
    if "error" in profile:
        return [f"Profile of the {role}: {profile['error']}"]
    us_per_alert = profile["us_per_alert"]
    title = (
        f"Profile of the {role} ({profile['samples']:,} py-spy samples, flood, "
        f"{us_per_alert:.1f} us of loop CPU per alert):"
    )
    rows = [
        title,
        "  where an alert's time goes (a sample can count in several lines):",
    ]
    rows.extend(
        f"    {share:5.1f}%  {share / 100 * us_per_alert:6.1f} us  {label}"
        for label, share in profile["components"].items()
    )
    for heading in ("self", "total"):
        rows.append(f"  top by {heading} time:")
        rows.extend(f"    {share:5.1f}%  {name}" for name, share in profile[heading])
    return rows


def print_report(
    *,
    header: str,
    mode: str,
    floor: dict[str, Any],
    samework: dict[str, Any],
    integration: dict[str, Any],
    recorder: dict[str, dict[str, Any]],
    setups: list[dict[str, Any]],
    elapsed: float,
) -> None:
    """Print the targets, the figures, the recorder, then the sweeps and profiles."""
    recorder_cameras = recorder["integration"]["db"]["cameras"]
    lines = [
        f"Rhombus benchmark, {mode} run, {elapsed / 60:.1f} min",
        f"Machine: {header}",
        "A message is one CREATE or its DELETE; an alert is both.",
        "",
        *target_rows(integration, samework, recorder, setups[-1]),
        "",
        HEADER,
        *_alert_rows(integration, samework, floor),
        *_setup_rows(setups),
        *_memory_rows(integration["memory"]),
        *_rest_rows(integration["rest"]),
        "",
        *recorder_rows(recorder),
        "",
        *(site_rows(integration["site"]) if "site" in integration else []),
        "",
        *_sweep_rows(
            "Rate sweep, recorder off",
            {
                "integration": integration,
                "same-work floor": samework,
                "raw floor": floor,
            },
        ),
        "",
        *_sweep_rows(
            f"Rate sweep, recorder on ({recorder_cameras} cameras)",
            {
                "integration": recorder["integration"],
                "same-work floor": recorder["samework"],
            },
        ),
        "",
        *_profile_rows("raw floor", floor.get("profile")),
        *_profile_rows("same-work floor", samework.get("profile")),
        *_profile_rows("integration", integration.get("profile")),
    ]
    print("\n".join(lines).rstrip())

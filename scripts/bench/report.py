"""The benchmark's printed table: each figure, its target, the ratio to the floor."""

from __future__ import annotations

from typing import Any

CPU_RATIO_TARGET = 1.25
RATE_TARGET = 6500
P99_TARGET_MS = 10.0
SETUP_TARGET_S = 15.0
GROWTH_TARGET_PCT = 5.0
CAMERA_LIST_INTERVAL_S = 300.0
_COLUMNS = "{:<46} {:>12} {:>10} {:>7}  {:<22} {}"


def _met(ok: bool | None) -> str:  # noqa: FBT001
    return "n/a" if ok is None else ("yes" if ok else "NO")


def _ratio(ours: float, floor: float | None) -> str:
    if not floor:
        return ""
    return f"{ours / floor:.2f}x"


def _row(
    name: str,
    ours: str,
    floor: str = "",
    ratio: str = "",
    *,
    target: str = "",
    ok: bool | None = None,
) -> str:
    met = _met(ok) if target else ""
    return _COLUMNS.format(name, ours, floor, ratio, target, met).rstrip()


def _alert_rows(integration: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    cpu, floor_cpu = integration["cpu"], floor["cpu"]
    ours, base = cpu["us_per_alert"], floor_cpu["us_per_alert"]
    sweep, floor_sweep = integration["sweep"], floor["sweep"]
    best, floor_best = sweep["max_rate"], floor_sweep["max_rate"]
    # Kept up with everything the simulator could send, or with the top rate.
    floor_open = floor_sweep["sim_bound"] or floor_sweep["steps"][-1]["ok"]
    floor_rate = f"{'>=' if floor_open else ''}{floor_best:,}"
    flood, floor_flood = integration["flood"], floor["flood"]
    rows = [
        _row(
            f"CPU per alert on the loop at {cpu['rate']:,.0f}/s (us)",
            f"{ours:.1f}",
            f"{base:.1f}",
            _ratio(ours, base),
            target=f"<= {CPU_RATIO_TARGET}x floor",
            ok=ours <= base * CPU_RATIO_TARGET,
        ),
        _row(
            "CPU per alert on the loop, as fast as sent (us)",
            f"{flood['us_per_alert']:.1f}",
            f"{floor_flood['us_per_alert']:.1f}",
            _ratio(flood["us_per_alert"], floor_flood["us_per_alert"]),
            target=f"<= {CPU_RATIO_TARGET}x floor",
            ok=flood["us_per_alert"] <= floor_flood["us_per_alert"] * CPU_RATIO_TARGET,
        ),
        _row(
            f"Highest sustained alerts/s{' (sender-bound)' * sweep['sim_bound']}",
            f"{best:,}",
            floor_rate,
            ("<=" if floor_open else "") + _ratio(best, floor_best),
            target=f">= {RATE_TARGET:,}",
            ok=best >= RATE_TARGET,
        ),
    ]
    lat, floor_lat = integration["latency"], floor["latency"]
    if "error" in lat or "error" in floor_lat:
        error = lat.get("error") or floor_lat.get("error")
        rows.append(_row(f"Latency at 500/s: {error}", "n/a"))
        return rows
    rows += [
        _row(
            "Latency send -> sensor state, p50 at 500/s (ms)",
            f"{lat['p50_ms']:.2f}",
            f"{floor_lat['p50_ms']:.2f}",
            _ratio(lat["p50_ms"], floor_lat["p50_ms"]),
        ),
        _row(
            "Latency send -> sensor state, p99 at 500/s (ms)",
            f"{lat['p99_ms']:.2f}",
            f"{floor_lat['p99_ms']:.2f}",
            _ratio(lat["p99_ms"], floor_lat["p99_ms"]),
            target=f"< {P99_TARGET_MS:g} ms",
            ok=lat["p99_ms"] < P99_TARGET_MS,
        ),
        _row(
            "Latency, max at 500/s (ms)",
            f"{lat['max_ms']:.2f}",
            f"{floor_lat['max_ms']:.2f}",
            _ratio(lat["max_ms"], floor_lat["max_ms"]),
        ),
        _row(
            "Longest young GC pause during it (ms)",
            f"{lat['young_gc_ms']:.1f}",
            f"{floor_lat['young_gc_ms']:.1f}",
        ),
        _row(
            "Full GC passes during it (longest, ms)",
            f"{lat['full_gc']} ({lat['full_gc_ms']:.0f})",
            f"{floor_lat['full_gc']} ({floor_lat['full_gc_ms']:.0f})",
        ),
    ]
    return rows


def _setup_rows(setups: list[dict[str, Any]]) -> list[str]:
    rows = []
    for setup in setups:
        largest = setup is setups[-1]
        rows.append(
            _row(
                f"Setup, {setup['cameras']:,} cameras ({setup['entities']:,} "
                f"entities, {setup['enabled']:,} enabled) (s)",
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
            f"REST calls per hour besides the camera list ({window:.0f} s)",
            f"{rest['other'] * 3600 / window:.1f}",
        ),
        _row(
            f"Camera-list calls per hour ({lists} in {window:.0f} s{gap_text})",
            per_hour,
            target="<= 12 (1 per 5 min)",
            ok=ok,
        ),
    ]


def _sweep_rows(integration: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    rows = [
        (
            "Rate sweep: asked/s, sent/s, last message handled after (ms), loop "
            "CPU per alert (us); * = kept up"
        ),
        f"  {'asked':>7} | {'integration':^30} | {'floor':^30}",
    ]
    ours = {step["rate"]: step for step in integration["sweep"]["steps"]}
    base = {step["rate"]: step for step in floor["sweep"]["steps"]}

    def cell(step: dict[str, Any] | None) -> str:
        if step is None:
            return f"{'':30}"
        mark = "*" if step["ok"] else " "
        return (
            f"{step['achieved']:>9,.0f} {step['drain_ms']:>9.1f} "
            f"{step['us_per_alert']:>8.1f} {mark}"
        )

    rows.extend(
        f"  {rate:>7,} | {cell(ours.get(rate))} | {cell(base.get(rate))}"
        for rate in sorted(set(ours) | set(base))
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
    integration: dict[str, Any],
    setups: list[dict[str, Any]],
    elapsed: float,
) -> None:
    """Print the whole table, then the sweep and any profiles."""
    lines = [
        f"Rhombus benchmark, {mode} run, {elapsed / 60:.1f} min",
        f"Machine: {header}",
        "",
        _COLUMNS.format("Figure", "Integration", "Floor", "Ratio", "Target", "Met"),
        *_alert_rows(integration, floor),
        *_setup_rows(setups),
        *_memory_rows(integration["memory"]),
        *_rest_rows(integration["rest"]),
        "",
        *_sweep_rows(integration, floor),
        "",
        *_profile_rows("floor", floor.get("profile")),
        *_profile_rows("integration", integration.get("profile")),
    ]
    print("\n".join(lines).rstrip())

"""The benchmark's targets, each a figure beside its target, and the recorder table."""

from __future__ import annotations

from typing import Any

CPU_RATIO_TARGET = 1.25
BYTES_RATIO_TARGET = 1.25
RATE_TARGET = 8000
P99_TARGET_MS = 10.0
YOUNG_GC_TARGET_MS = 5.0
SETUP_TARGET_S = 15.0
GROWTH_TARGET_PCT = 5.0
TABLES = ("states", "state_attributes", "events", "event_data")
_COLUMNS = "{:<58} {:>12} {:>12} {:>7}  {:<22} {}"


def _met(ok: bool) -> str:  # noqa: FBT001
    return "yes" if ok else "NO"


def _line(name: str, *cells: str, ok: bool | None) -> str:
    """A figure, then ours, the floor's, the ratio and the target."""
    met = "" if ok is None else _met(ok)
    return _COLUMNS.format(name, *cells, met).rstrip()


def _total_bytes(db: dict[str, Any]) -> float:
    return float(sum(db["bytes"].values()))


def _max_rate(sweep: dict[str, Any]) -> str:
    open_ended = sweep["sim_bound"] or sweep["steps"][-1]["ok"]
    return f"{'>=' if open_ended else ''}{sweep['max_rate']:,}"


def target_rows(
    integration: dict[str, Any],
    samework: dict[str, Any],
    recorder: dict[str, dict[str, Any]],
    setup: dict[str, Any],
) -> list[str]:
    """One table: every target, the figure, the same-work floor's, the ratio."""
    rows = [
        "Targets",
        _COLUMNS.format("Figure", "Integration", "Same-work", "Ratio", "Target", "Met"),
    ]
    for key, label in (
        ("cpu", f"at {integration['cpu']['rate']:,.0f}/s"),
        ("flood", "flooded"),
    ):
        ours = integration[key]["us_per_alert"]
        floor = samework[key]["us_per_alert"]
        rows.append(
            _line(
                f"Loop CPU per message, {label} (us)",
                f"{ours:.1f}",
                f"{floor:.1f}",
                f"{ours / floor:.2f}x",
                f"<= {CPU_RATIO_TARGET}x floor",
                ok=ours <= floor * CPU_RATIO_TARGET,
            )
        )
    ours_db, floor_db = recorder["integration"]["db"], recorder["samework"]["db"]
    ours_b, floor_b = _total_bytes(ours_db), _total_bytes(floor_db)
    rows.append(
        _line(
            "Recorder bytes per alert (4 tables with indexes)",
            f"{ours_b:,.0f}",
            f"{floor_b:,.0f}",
            f"{ours_b / floor_b:.2f}x",
            f"<= {BYTES_RATIO_TARGET}x floor",
            ok=ours_b <= floor_b * BYTES_RATIO_TARGET,
        )
    )
    ours_sweep, floor_sweep = (
        recorder["integration"]["sweep"],
        recorder["samework"]["sweep"],
    )
    rows.append(
        _line(
            "Sustained state-changing messages/s, recorder on",
            _max_rate(ours_sweep),
            _max_rate(floor_sweep),
            "",
            f">= {RATE_TARGET:,}",
            ok=ours_sweep["max_rate"] >= RATE_TARGET,
        )
    )
    ladder, floor_ladder = (
        recorder["integration"]["ladder"],
        recorder["samework"]["ladder"],
    )
    rows.append(
        _line(
            f"Highest rate with p99 send -> state < {P99_TARGET_MS:g} ms, recorder on",
            f"{ladder['max_rate']:,}/s",
            f"{floor_ladder['max_rate']:,}/s",
            "",
            "reported",
            ok=None,
        )
    )
    for key, label in (
        ("latency", "GC as is"),
        ("latency_frozen", "gc.freeze() after setup"),
    ):
        ours_lat, floor_lat = integration[key], samework[key]
        if "error" in ours_lat or "error" in floor_lat:
            error = ours_lat.get("error") or floor_lat.get("error")
            rows.append(f"Young GC pause ({label}): {error}")
            continue
        rows.append(
            _line(
                f"Longest young GC pause at 500/s, {label} (ms)",
                f"{ours_lat['young_gc_ms']:.1f}",
                f"{floor_lat['young_gc_ms']:.1f}",
                "",
                f"< {YOUNG_GC_TARGET_MS:g} ms",
                ok=ours_lat["young_gc_ms"] < YOUNG_GC_TARGET_MS,
            )
        )
    site = setup.get("site_devices", 0)
    rows.append(
        _line(
            f"Setup of {setup['cameras']:,} cameras"
            + (f" and {site} other devices" if site else "")
            + " (s)",
            f"{setup['seconds']:.2f}",
            "",
            "",
            f"< {SETUP_TARGET_S:g} s",
            ok=setup["seconds"] < SETUP_TARGET_S,
        )
    )
    memory = integration["memory"]
    rows.append(
        _line(
            f"Memory growth across {memory['count']:,} messages",
            f"{memory['growth_pct']:+.2f}%",
            "",
            "",
            f"< {GROWTH_TARGET_PCT:g}%",
            ok=memory["growth_pct"] < GROWTH_TARGET_PCT,
        )
    )
    return rows


def recorder_rows(recorder: dict[str, dict[str, Any]]) -> list[str]:
    """Rows and bytes per alert in each table, and the file's growth."""
    ours, floor = recorder["integration"]["db"], recorder["samework"]["db"]
    title = (
        f"Recorder (SQLite, defaults): what one alert adds, after {ours['alerts']:,} "
        f"alerts over {ours['cameras']} cameras"
    )
    columns = "{:<22} {:>12} {:>12} {:>14} {:>14} {:>7}"
    rows = [
        title,
        columns.format("Table", "Rows", "Rows floor", "Bytes", "Bytes floor", "x"),
    ]
    for table in TABLES:
        ours_b, floor_b = ours["bytes"][table], floor["bytes"][table]
        rows.append(
            columns.format(
                table,
                f"{ours['rows'][table]:.2f}",
                f"{floor['rows'][table]:.2f}",
                f"{ours_b:,.0f}",
                f"{floor_b:,.0f}",
                f"{ours_b / floor_b:.2f}x" if floor_b else "",
            )
        )
    rows.append(
        columns.format(
            "all four",
            f"{sum(ours['rows'].values()):.2f}",
            f"{sum(floor['rows'].values()):.2f}",
            f"{_total_bytes(ours):,.0f}",
            f"{_total_bytes(floor):,.0f}",
            f"{_total_bytes(ours) / _total_bytes(floor):.2f}x",
        )
    )
    rows.append(
        f"Database file growth per 1,000 alerts: integration "
        f"{ours['file_per_1000'] / 1024:,.0f} KiB, same-work floor "
        f"{floor['file_per_1000'] / 1024:,.0f} KiB"
    )
    return rows

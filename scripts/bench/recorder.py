"""The recorder's cost: rows and bytes each alert adds to the database.

The recorder runs as a user has it (SQLite, its defaults: 5 s commits, every
entity and event recorded). Bytes are SQLite's own page accounting
(``dbstat``), tables and their indexes together; the file size is the
database's pages (``page_count`` x ``page_size``, the WAL included).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import sqlite3
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import recorder as recorder_helper
from homeassistant.helpers.recorder import get_instance
from homeassistant.setup import async_setup_component

from scripts.bench.phases import SimProcess, Target, send_and_wait

DB_NAME = "home-assistant_v2.db"
# Where states and events go; attributes and event data are stored once per
# distinct value and shared by reference.
TABLES = ("states", "state_attributes", "events", "event_data")
COMMIT_SECONDS = 5


async def enable_recorder(hass: HomeAssistant, config_dir: Path) -> Path:
    """Set up the recorder on SQLite in ``config_dir``; return the database path."""
    path = config_dir / DB_NAME
    config = {"recorder": {"db_url": f"sqlite:///{path}"}}
    recorder_helper.async_initialize_recorder(hass)  # as bootstrap does first
    if not await async_setup_component(hass, "recorder", config):
        raise RuntimeError("the recorder did not set up")
    await get_instance(hass).async_db_ready
    return path


async def recorder_idle(hass: HomeAssistant) -> None:
    """Wait until what happened so far is committed."""
    await hass.async_block_till_done()
    await asyncio.sleep(COMMIT_SECONDS + 1)
    await get_instance(hass).async_block_till_done()


def snapshot(path: Path) -> dict[str, Any]:
    """Rows and bytes per table, and the database's size."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        owner = dict(
            db.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE tbl_name IN "
                f"({','.join('?' * len(TABLES))})",
                TABLES,
            ).fetchall()
        )
        size: dict[str, int] = dict.fromkeys(TABLES, 0)
        for name, pages in db.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"
        ):
            if name in owner:
                size[owner[name]] += pages
        rows = {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }
        page_count = db.execute("PRAGMA page_count").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    return {"rows": rows, "bytes": size, "file": page_count * page_size}


async def cost_per_alert(
    hass: HomeAssistant, path: Path, sim: SimProcess, target: Target, alerts: int
) -> dict[str, Any]:
    """What ``alerts`` alerts (a CREATE and its DELETE each) add to the database."""
    await recorder_idle(hass)
    before = await hass.async_add_executor_job(snapshot, path)
    await send_and_wait(sim, target, alerts * 2, 0)
    await recorder_idle(hass)
    after = await hass.async_add_executor_job(snapshot, path)
    return {
        "alerts": alerts,
        "cameras": len(sim.info["cameras"]),
        "rows": {t: (after["rows"][t] - before["rows"][t]) / alerts for t in TABLES},
        "bytes": {t: (after["bytes"][t] - before["bytes"][t]) / alerts for t in TABLES},
        "file_per_1000": (after["file"] - before["file"]) / alerts * 1000,
    }


def backlog(hass: HomeAssistant) -> int:
    """Events the recorder has not written yet."""
    return get_instance(hass).backlog

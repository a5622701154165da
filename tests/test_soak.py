"""Soak: 10,000 alerts on 50 cameras through 25 dropped connections.

Every alert must reach the bus exactly once (live, or replayed by catch-up
after a drop), duplicates sent by the cloud must be suppressed, no sensor
may stay on after the hold time, and each drop may cost one warning at most.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
import logging
import os
import random

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.rhombus.aiorhombus import StreamState
from custom_components.rhombus.const import EVENT_RHOMBUS
from simulator import RhombusSimulator

from .helpers import detections_on, entry_for, setup_entry, wait_until

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")

ALERTS = int(os.environ.get("SOAK_ALERTS", "10000"))
CAMERAS = 50
DROPS = 25
DUPLICATES = 200
TRIGGERS = (
    ("MOTION_HUMAN",),
    ("MOTION_CAR",),
    ("MOTION",),
    ("LOITER_HUMAN",),
    ("HUMAN_ENTER",),
)


async def test_soak_every_alert_once_through_drops(
    hass: HomeAssistant, socket_enabled: None, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(20261126)
    sim = RhombusSimulator(cameras=CAMERAS, seed=11, heartbeat_ms=0)
    await sim.start()
    try:
        entry = await setup_entry(hass, sim, entry_for(sim))
        hub = entry.runtime_data.hub
        events = async_capture_events(hass, EVENT_RHOMBUS)
        cameras = list(sim.cameras)
        drop_at = set(rng.sample(range(100, ALERTS - 100), DROPS))
        duplicate_at = set(rng.sample(range(ALERTS), DUPLICATES))
        sent: list[str] = []
        drops = 0
        for i in range(ALERTS):
            uuid = await sim.emit_alert(rng.choice(cameras), rng.choice(TRIGGERS))
            sent.append(uuid)
            if i in duplicate_at:
                await sim.emit_alert(
                    sim.alerts[uuid]["deviceUuid"], (), alert_uuid=uuid
                )
            if i in drop_at:  # mid-burst: the next alerts go out while it is down
                await sim.wait_for_subscription(drops + 1, timeout=30)
                await sim.drop_connections()
                drops += 1
            if i % 100 == 0:  # a breather: the client reconnects and catches up
                await asyncio.sleep(0.06)
        await wait_until(
            hass, lambda: len({e.data["entity_uuid"] for e in events}) >= ALERTS, 60
        )
        await wait_until(hass, lambda: hub.stream.state is StreamState.CONNECTED)
        await hass.async_block_till_done()

        per_uuid = Counter(e.data["entity_uuid"] for e in events)
        assert set(per_uuid) == set(sent)
        assert max(per_uuid.values()) == 1, "an alert reached the bus twice"
        replayed = sum(1 for e in events if e.data["replayed"])
        stats = hub.stream.stats
        assert stats.drops == drops >= 20

        # After the hold time nothing is left on.
        async_fire_time_changed(hass, datetime.now(UTC) + timedelta(seconds=31))
        await hass.async_block_till_done()
        assert detections_on(hass) == []

        warnings = [
            r
            for r in caplog.records
            if r.levelno >= logging.WARNING
            and r.name.startswith("custom_components.rhombus")
        ]
        assert len(warnings) <= stats.drops
        print(  # the figures for the closing note
            f"\nsoak: sent={ALERTS} delivered={len(per_uuid)} "
            f"duplicates_suppressed={hub.alerts.duplicates} replayed={replayed} "
            f"drops={stats.drops} connects={stats.connects} warnings={len(warnings)} "
            f"rest_catchup_calls={sim.calls('/api/event/getPolicyAlerts')}"
        )
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await sim.stop()

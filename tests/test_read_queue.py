"""The camera controls' read queue: one read at a time, and it never dies."""

from __future__ import annotations

from itertools import pairwise
import logging
import time
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.rhombus.camera_config import ReadQueue
from custom_components.rhombus.camera_config.read_queue import READ_INTERVAL
from custom_components.rhombus.const import DOMAIN
from custom_components.rhombus.rate_limit import RateLimitGate
from simulator import RhombusSimulator, rest as sim_rest

from .helpers import entity_id_of, entry_for, setup_entry, state_of, wait_until

CONFIG = "/api/deviceconfig/getFacetedConfig"
FIRMWARE = "/api/camera/getFullCameraState"
# Background reads of the queue (its features read may be shared with the list).
QUEUED = (CONFIG, FIRMWARE)


async def test_an_unexpected_error_is_logged_and_the_next_read_still_runs(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in one read (not a Rhombus error) must not stop every later read."""
    entry = MockConfigEntry(domain=DOMAIN)
    entry.add_to_hass(hass)
    queue = ReadQueue(hass, entry, RateLimitGate())
    done: list[str] = []

    async def broken() -> None:
        raise KeyError("cameraUuid")

    async def fine() -> None:
        done.append("fine")

    caplog.set_level(logging.ERROR)
    queue.request("config:a", broken)
    queue.request("config:b", fine)
    await wait_until(hass, lambda: done == ["fine"] and queue.idle)
    assert "Background read config:a failed unexpectedly" in caplog.text
    queue.request("config:c", fine)  # the same task takes later reads too
    await wait_until(hass, lambda: done == ["fine", "fine"] and queue.idle)
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.fixture
def arrivals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, str, Any]]:
    """When each queued read reached the simulator (monotonic, path, body).

    Stamped by the simulator as it records the request, so the gaps measured
    are the ones Rhombus would see, not when the test noticed them.
    """
    stamps: list[tuple[float, str, Any]] = []
    recorded = sim_rest.RecordedRequest

    def stamp(path: str, headers: dict[str, str], body: Any) -> Any:
        if path in QUEUED:
            stamps.append((time.monotonic(), path, body))
        return recorded(path, headers, body)

    monkeypatch.setattr(sim_rest, "RecordedRequest", stamp)
    return stamps


async def test_reads_go_out_at_most_four_a_second(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    arrivals: list[tuple[float, str, Any]],
) -> None:
    """Every camera's config and firmware at setup: a quarter second apart."""
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    queue = entry.runtime_data.controls.reads
    await wait_until(hass, lambda: queue.idle, cpu_seconds=30)
    cameras = len(simulator.cameras)
    assert [path for _, path, _ in arrivals].count(CONFIG) == cameras
    assert [path for _, path, _ in arrivals].count(FIRMWARE) == cameras
    times = [at for at, _, _ in arrivals]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= READ_INTERVAL * 0.99, gaps
    # Any five reads in a row span at least a second.
    assert all(times[i + 4] - times[i] >= 1.0 * 0.99 for i in range(len(times) - 4))


async def test_reads_pause_while_rate_limited_and_resume_after(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    arrivals: list[tuple[float, str, Any]],
) -> None:
    """A 429 with Retry-After 1.5 s: no read for 1.5 s, then all, the refused too."""
    simulator.fail_rest(CONFIG, status=429, retry_after=1.5)
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    queue = entry.runtime_data.controls.reads
    await wait_until(hass, lambda: queue.idle, cpu_seconds=30)
    refused = next(i for i, (_, path, _) in enumerate(arrivals) if path == CONFIG)
    limited_at, _, body = arrivals[refused]
    camera = body["deviceUuid"]
    resumed_at = arrivals[refused + 1][0]
    assert resumed_at - limited_at >= 1.5, resumed_at - limited_at
    # Every camera's config read once after the quiet, the refused one again.
    configs = [
        b["deviceUuid"] for _, path, b in arrivals[refused + 1 :] if path == CONFIG
    ]
    assert sorted(configs) == sorted(simulator.cameras)
    assert simulator.calls(CONFIG) == len(simulator.cameras) + 1
    assert simulator.calls(FIRMWARE) == len(simulator.cameras)
    # The refused camera got its controls after all.
    light = entity_id_of(hass, "switch", f"{camera}_status_light")
    assert state_of(hass, light) in ("on", "off")

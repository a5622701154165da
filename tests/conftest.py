"""Fixtures shared by every test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import timedelta
from functools import partial
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

# Import the integration before Home Assistant's loader looks for it, so the
# repository's custom_components wins over the test harness's own folder.
import custom_components.rhombus  # noqa: F401
from custom_components.rhombus.aiorhombus import Backoff
from custom_components.rhombus.const import (
    CONF_MEDIA_URL,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DOMAIN,
)
from simulator import RhombusSimulator

# Every simulator exchange is checked against the official spec subset.
pytest_plugins = ("tests.spec.plugin",)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/rhombus."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[RhombusSimulator]:
    """A fake Rhombus cloud on 127.0.0.1 with three cameras.

    Its heart-beats are off and the client's ping is pushed out of reach: the
    freezer fires every due timer when a test moves time by minutes, while no
    ping could have been answered, so the stream would look stalled. The
    liveness checks have their own tests (tests/aiorhombus, test_resilience).
    """
    sim = RhombusSimulator(cameras=3, seed=7, heartbeat_ms=0, org_name="Acme HQ")
    await sim.start()
    with patch(
        "custom_components.rhombus.aiorhombus.stream.WS_PING_INTERVAL", 86_400.0
    ):
        yield sim
    await sim.stop()


def entry_for(
    sim: RhombusSimulator, *, unique_id: str | None = None, **options: Any
) -> MockConfigEntry:
    """A config entry pointing at ``sim``, as the config flow would store it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=sim.org_name,
        unique_id=unique_id or sim.org_uuid,
        data={
            CONF_API_KEY: next(iter(sim.api_keys)),
            CONF_REGION: "us",
            CONF_REST_URL: sim.rest_url,
            CONF_WEBSOCKET_URL: sim.websocket_url,
            CONF_MEDIA_URL: sim.media_url,
        },
        options=options,
    )


async def setup_entry(
    hass: HomeAssistant, sim: RhombusSimulator, entry: MockConfigEntry
) -> MockConfigEntry:
    """Set the entry up and wait until its stream has subscribed."""
    subscribed = sum(f.command == "SUBSCRIBE" for f in sim.received_frames)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await sim.wait_for_subscription(subscribed + 1)
    return entry


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> MockConfigEntry:
    """The simulator's account, set up and streaming."""
    return await setup_entry(hass, simulator, entry_for(simulator))


async def wait_until(
    hass: HomeAssistant, predicate: Callable[[], bool], cpu_seconds: float = 10.0
) -> None:
    """Let the loop run until ``predicate`` holds.

    Under the freezer the loop's clock stands still, so a timed sleep would
    never end; this spins the loop instead (socket reads still arrive on each
    round) and bounds the wait by CPU time, which the freezer does not touch.
    """
    deadline = time.process_time() + cpu_seconds
    while not predicate():
        if time.process_time() > deadline:
            raise AssertionError("condition not reached")
        await hass.async_block_till_done()
        await asyncio.sleep(0)


def entity_id_of(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """The entity id of this integration's entity with ``unique_id``."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def sensor_id(hass: HomeAssistant, camera_uuid: str, kind: str) -> str:
    """The entity id of a camera's detection sensor."""
    return entity_id_of(hass, "binary_sensor", f"{camera_uuid}_{kind}")


def state_of(hass: HomeAssistant, entity_id: str) -> str | None:
    """The entity's state string, or None when it has no state."""
    state = hass.states.get(entity_id)
    return state.state if state else None


def detections_on(hass: HomeAssistant) -> list[str]:
    """Detection sensors that are on (connectivity sensors are diagnostic)."""
    registry = er.async_get(hass)
    return [
        entry.entity_id
        for entry in registry.entities.values()
        if entry.platform == DOMAIN
        and entry.domain == "binary_sensor"
        and entry.entity_category is None
        and state_of(hass, entry.entity_id) == "on"
    ]


@pytest.fixture
def fast_reconnect() -> Generator[None]:
    """Reconnect within milliseconds, so a test needs no real waiting."""
    with patch(
        "custom_components.rhombus.hub.Backoff", partial(Backoff, initial=0.01, cap=0.1)
    ):
        yield


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move frozen time on and run what fell due.

    Tests that move time request ``freezer`` before the entry: time must be
    frozen before setup schedules anything, or the jump fires every timer.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

"""Helpers shared by the integration tests: entries, waiting, entity lookups."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
import re
import time
from typing import Any, cast
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY, MAJOR_VERSION, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion
import yaml

from custom_components.rhombus.const import (
    CONF_MEDIA_URL,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DOMAIN,
)
from simulator import RhombusSimulator


def entry_for(
    sim: RhombusSimulator,
    *,
    unique_id: str | None = None,
    entry_id: str | None = None,
    version: int = 2,
    **options: Any,
) -> MockConfigEntry:
    """A config entry pointing at ``sim``, as the config flow would store it."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry_id,
        version=version,
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


# Registry fields an entity sets; Home Assistant adds others over releases.
_ENTRY_FIELDS = (
    "entity_id",
    "unique_id",
    "original_name",
    "translation_key",
    "original_device_class",
    "entity_category",
    "unit_of_measurement",
    "supported_features",
    "capabilities",
)
# State attributes Home Assistant itself writes, with random tokens.
_OWN_ATTRIBUTES = frozenset({"access_token", "entity_picture", "frontend_stream_type"})


async def snapshot_platform_entities(
    hass: HomeAssistant,
    sim: RhombusSimulator,
    platform: Platform,
    snapshot: SnapshotAssertion,
) -> None:
    """Every entity of ``platform`` (only it loaded): registry entry and state.

    Like Home Assistant's ``snapshot_platform``, but limited to what the
    integration decides, so the file reads the same on every release.
    """
    with patch("custom_components.rhombus.PLATFORMS", [platform]):
        entry = await setup_entry(hass, sim, entry_for(sim))
    # Camera controls arrive with each camera's config read.
    await wait_until(hass, lambda: entry.runtime_data.controls.reads.idle)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert entities
    assert {entity.domain for entity in entities} == {platform}
    for entity in sorted(entities, key=lambda e: e.entity_id):
        assert entity.disabled_by is None, "enable every entity for the snapshot"
        state = hass.states.get(entity.entity_id)
        assert state is not None, entity.entity_id
        assert _same_on_every_release(
            {
                "entry": {field: getattr(entity, field) for field in _ENTRY_FIELDS}
                | {"entity_id": without_area(entity.entity_id)},
                "state": state.state,
                "attributes": {
                    k: v
                    for k, v in state.attributes.items()
                    if k not in _OWN_ATTRIBUTES
                },
            }
        ) == snapshot(name=without_area(entity.entity_id))


# The simulator's devices are at its one location, so they land in its area.
SIM_AREA_PREFIX = "main_office_"
# The newest leg's release (2026.10) names new entities after their area first.
AREA_FIRST_MAJOR = 2026


def without_area(entity_id: str) -> str:
    """The entity id as 2025.4 makes it: 2026.x puts the device's area first.

    A device created in the area "Main Office" gets ``camera.main_office_lobby_…``
    on 2026.x and ``camera.lobby_…`` on 2025.4; tests name entities one way.
    """
    if MAJOR_VERSION < AREA_FIRST_MAJOR:
        return entity_id
    domain, _, name = entity_id.partition(".")
    return f"{domain}.{name.removeprefix(SIM_AREA_PREFIX)}"


def _same_on_every_release(value: Any) -> Any:
    """What differs only in spelling between 2025.4 and 2026.x, spelt one way.

    2026.x keys attributes and capabilities by StrEnum members (plain text
    before) and writes micro as the Greek mu (U+03BC) where 2025.4 has the
    micro sign (U+00B5). (Entity ids: see `without_area`.)
    """
    if isinstance(value, dict):
        return {str(k): _same_on_every_release(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_on_every_release(v) for v in value]
    if isinstance(value, str) and "\u03bc" in value:
        return value.replace("\u03bc", "\u00b5")  # plain text, enum or not
    return value


def device_for(hass: HomeAssistant, uuid: str) -> dr.DeviceEntry | None:
    """The Home Assistant device of a Rhombus uuid.

    Through each entry's devices: 2026.8 deprecates ``async_get_device`` by
    identifiers and looking up ``registry.devices`` as a mapping.
    """
    registry = dr.async_get(hass)
    return next(
        (
            device
            for entry in hass.config_entries.async_entries(DOMAIN)
            for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
            if (DOMAIN, uuid) in device.identifiers
        ),
        None,
    )


def readme_automation(alias: str) -> dict[str, Any]:
    """The README's automation named ``alias``, as a user would paste it."""
    text = (Path(__file__).parents[1] / "README.md").read_text()
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    block = next(b for b in blocks if f'alias: "{alias}"' in b)
    (automation,) = yaml.safe_load(block)
    return cast("dict[str, Any]", automation)

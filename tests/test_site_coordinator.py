"""The per-kind site coordinators against the simulator, on their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.rhombus.aiorhombus import (
    DoorSensor,
    DoorStatus,
    RhombusRestClient,
    RhombusSiteClient,
    SiteKind,
)
from custom_components.rhombus.site.coordinator import HINT_COOLDOWN, SiteCoordinators
from simulator import RhombusSimulator
from simulator.site_demo import build_demo_site

from .helpers import entry_for

DOOR_LIST = "/api/door/getMinimalDoorStateList"
CLIMATE_LIST = "/api/climate/getMinimalClimateStateList"


@pytest.fixture
async def site(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> AsyncGenerator[SiteCoordinators]:
    build_demo_site(simulator)
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    rest = RhombusRestClient(
        async_get_clientsession(hass),
        next(iter(simulator.api_keys)),
        simulator.rest_url,
    )
    coordinators = SiteCoordinators(hass, entry, RhombusSiteClient(rest))
    yield coordinators
    for coordinator in coordinators.by_kind.values():
        await coordinator.async_shutdown()


def named(sim: RhombusSimulator, name: str) -> str:
    return next(d.uuid for d in sim.site.devices.values() if d.name == name)


async def refresh_all(site: SiteCoordinators) -> None:
    for coordinator in site.by_kind.values():
        await coordinator.async_refresh()


async def test_every_kind_refreshes(
    site: SiteCoordinators, simulator: RhombusSimulator
) -> None:
    await refresh_all(site)
    counts = {kind: len(c.data) for kind, c in site.by_kind.items()}
    assert counts == {
        SiteKind.DOOR_SENSOR: 3,
        SiteKind.CLIMATE_SENSOR: 1,
        SiteKind.ENVIRONMENTAL_GATEWAY: 1,
        SiteKind.OCCUPANCY_SENSOR: 1,
        SiteKind.BUTTON: 1,
        SiteKind.AUDIO_GATEWAY: 1,
        SiteKind.ACCESS_CONTROL: 2,
    }
    assert all(c.last_update_success for c in site.by_kind.values())
    found = site.device(named(simulator, "Lobby Air"))
    assert found is not None
    assert found[0] is SiteKind.ENVIRONMENTAL_GATEWAY


async def test_hint_burst_is_one_call_and_fast(
    hass: HomeAssistant, site: SiteCoordinators, simulator: RhombusSimulator
) -> None:
    doors = site.by_kind[SiteKind.DOOR_SENSOR]
    await doors.async_refresh()
    uuid = named(simulator, "Front Door")
    await simulator.set_door_sensor(uuid, "OPEN", alert=False)
    before = simulator.calls(DOOR_LIST)
    start = asyncio.get_running_loop().time()
    for _ in range(100):
        assert site.hint_entity("DOOR_STATE") is SiteKind.DOOR_SENSOR

    def status() -> DoorStatus | None:
        door = doors.data[uuid]
        assert isinstance(door, DoorSensor)
        return door.status

    while status() is not DoorStatus.OPEN:
        assert asyncio.get_running_loop().time() - start < 2.0
        await asyncio.sleep(0.02)
    await asyncio.sleep(HINT_COOLDOWN + 0.2)
    await hass.async_block_till_done()
    assert simulator.calls(DOOR_LIST) == before + 1
    assert site.hint_entity("CAMERA_STATE") is None


async def test_alert_hint_finds_the_device(
    site: SiteCoordinators, simulator: RhombusSimulator
) -> None:
    await refresh_all(site)
    uuid = named(simulator, "Front Desk Panic")
    alert = {"type": "POLICY_ALERT_V2", "deviceUuid": uuid, "deviceType": "BLE_BUTTON"}
    device = site.hint_alert(alert)
    assert device is not None
    assert device.name == "Front Desk Panic"
    assert site.hint_alert({"deviceUuid": "cam", "deviceType": "CAMERA"}) is None


async def test_refused_kind_is_skipped_once(
    site: SiteCoordinators,
    simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator.refuse_kind("access_control")
    caplog.set_level(logging.INFO)
    await refresh_all(site)
    await refresh_all(site)
    access = site.by_kind[SiteKind.ACCESS_CONTROL]
    assert access.data == {}
    assert access.last_update_success
    assert access.update_interval is None
    assert list(site.refused) == ["access_control"]
    lines = [r for r in caplog.records if "Skipping access_control" in r.getMessage()]
    assert len(lines) == 1
    assert simulator.calls("/api/component/findMinimalStateAccessControlledDoors") == 1
    assert len(site.by_kind[SiteKind.DOOR_SENSOR].data) == 3


async def test_rate_limit_quiets_every_kind(
    site: SiteCoordinators, simulator: RhombusSimulator
) -> None:
    simulator.fail_rest(CLIMATE_LIST, status=429, retry_after=30)
    climate = site.by_kind[SiteKind.CLIMATE_SENSOR]
    await climate.async_refresh()
    assert not climate.last_update_success
    doors = site.by_kind[SiteKind.DOOR_SENSOR]
    await doors.async_refresh()
    assert not doors.last_update_success
    assert simulator.calls(DOOR_LIST) == 0

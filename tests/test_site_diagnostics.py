"""Diagnostics of the site: each kind, its devices, and the refused kinds."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from simulator import RhombusSimulator
from simulator.site_world import OCCUPANCY_SENSOR

from .helpers import device_for, entry_for, setup_entry
from .site_helpers import site_uuid


async def test_entry_diagnostics_name_the_refused_kind(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    site_simulator: RhombusSimulator,
) -> None:
    sim = site_simulator
    sim.refuse_kind(OCCUPANCY_SENSOR, in_band=True)
    entry = await setup_entry(hass, sim, entry_for(sim))
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert isinstance(diagnostics, dict)
    site: dict[str, Any] = diagnostics["site"]
    assert list(site["refused"]) == ["occupancy_sensor"]
    assert site["kinds"]["occupancy_sensor"]["devices"] == []
    doors = site["kinds"]["door_sensor"]
    assert doors["last_update_success"] is True
    assert doors["update_interval"] == "0:00:30"
    assert {d["name"] for d in doors["devices"]} == {
        "Front Door",
        "Back Door",
        "Server Room Door",
    }
    assert next(iter(sim.api_keys)) not in str(diagnostics)


async def test_site_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    site_simulator: RhombusSimulator,
) -> None:
    sim = site_simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    uuid = site_uuid(sim, "Lobby Air")
    device = device_for(hass, uuid)
    assert device is not None
    diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, device)
    assert isinstance(diagnostics, dict)
    assert diagnostics["camera"] is None
    assert diagnostics["site_device"]["uuid"] == uuid
    assert diagnostics["site_device"]["co2_ppm"] == 540
    keys = {e["unique_id"].removeprefix(f"{uuid}_") for e in diagnostics["entities"]}
    assert {"temperature", "pm4", "leak", "connectivity", "air_alert"} <= keys


async def test_kinds_without_hardware_are_polled_every_five_minutes(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RhombusSimulator,
) -> None:
    """A cameras-only org asks each site list 12 times an hour, not 120."""
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert isinstance(diagnostics, dict)
    kinds: dict[str, Any] = diagnostics["site"]["kinds"]
    assert len(kinds) == 7
    assert {kind["update_interval"] for kind in kinds.values()} == {"0:05:00"}

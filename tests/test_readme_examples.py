"""The README's automations, pasted as a user would, run against the simulator."""

from __future__ import annotations

import asyncio

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from simulator import RhombusSimulator

from .helpers import (
    entry_for,
    readme_automation,
    setup_entry,
    wait_until,
    without_area,
)
from .site_helpers import site_entity, site_uuid

WASHROOM = "Restroom 2F"


def event_type(hass: HomeAssistant, entity_id: str) -> object:
    state = hass.states.get(entity_id)
    return state.attributes.get("event_type") if state else None


async def test_the_vape_automation_notifies_at_every_vape_alert(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Every vape alert notifies, twice in a row too; smoke does not (an E2)."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    air_alert = site_entity(hass, sim, "event", WASHROOM, "air_alert")
    automation = readme_automation("Vape in the 2nd-floor washroom")
    (trigger,) = automation["triggers"]
    assert trigger["entity_id"] == without_area(air_alert)
    trigger["entity_id"] = air_alert
    notified = async_mock_service(hass, "notify", "mobile_app_my_phone")
    assert await async_setup_component(hass, "automation", {"automation": automation})
    sensor = site_uuid(sim, WASHROOM)

    async def alert(trigger: str, kind: str) -> None:
        await sim.emit_site_alert(sensor, [trigger])
        await wait_until(hass, lambda: event_type(hass, air_alert) == kind)
        await asyncio.sleep(0.002)  # alerts of one sensor are seconds apart

    await alert("CLIMATE_VAPE", "vape")
    await wait_until(hass, lambda: len(notified) == 1)
    await alert("CLIMATE_VAPE", "vape")  # the same event type again
    await wait_until(hass, lambda: len(notified) == 2)
    await alert("CLIMATE_SMOKE", "smoke")
    await alert("CLIMATE_VAPE", "vape")
    await wait_until(hass, lambda: len(notified) == 3)
    assert [call.data["message"] for call in notified] == [
        "Vape detected in the 2nd-floor washroom"
    ] * 3

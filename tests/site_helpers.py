"""Finding the demo site's hardware and its entities in tests."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from simulator import RhombusSimulator

from .helpers import entity_id_of


def site_uuid(sim: RhombusSimulator, name: str) -> str:
    """The uuid of the site device or door called ``name``."""
    found = [d.uuid for d in sim.site.devices.values() if d.name == name]
    found += [d.uuid for d in sim.site.doors.values() if d.name == name]
    assert len(found) == 1, name
    return found[0]


def site_entity(
    hass: HomeAssistant, sim: RhombusSimulator, domain: str, name: str, key: str
) -> str:
    """The entity id of ``key`` on the hardware called ``name``."""
    return entity_id_of(hass, domain, f"{site_uuid(sim, name)}_{key}")

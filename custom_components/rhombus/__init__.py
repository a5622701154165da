"""The Rhombus integration: cloud security cameras as devices with detection sensors."""

from __future__ import annotations

from homeassistant.const import CONF_API_KEY, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aiorhombus import RhombusRestClient
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry, RhombusData
from .hub import RhombusHub
from .settings import endpoints_from

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT]


async def async_setup_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Check the key with one REST call, add the entities, start the stream."""
    rest = RhombusRestClient(
        async_get_clientsession(hass),
        entry.data[CONF_API_KEY],
        endpoints_from(entry.data).rest_url,
    )
    coordinator = RhombusCoordinator(hass, entry, rest)
    await coordinator.async_config_entry_first_refresh()
    hub = RhombusHub(hass, entry, rest, coordinator)
    entry.runtime_data = RhombusData(rest=rest, coordinator=coordinator, hub=hub)

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    @callback
    def cameras_changed() -> None:
        hub.async_refresh_devices()

    entry.async_on_unload(coordinator.async_add_listener(cameras_changed))
    hub.async_start()
    entry.async_on_unload(hub.async_stop)
    entry.async_on_unload(
        hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, hub.async_stop)
    )
    # 2025.4 needs a bool here; newer releases ignore it for custom integrations.
    return True


async def async_unload_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Remove the entities; the stream and timers stop through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

"""The Rhombus integration: cameras, sensors, buttons and doors as devices."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .aiorhombus import (
    RhombusClipsClient,
    RhombusDeviceAdminClient,
    RhombusFootageClient,
    RhombusMediaClient,
    RhombusRecordingsClient,
    RhombusRestClient,
)
from .audio import AudioClips
from .audio.service import async_setup_audio_service
from .camera_config import CONFIG_ENTITY, CameraControls, FirmwareTracker
from .const import DOMAIN
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry, RhombusData
from .devices import async_remove_stale_devices, org_device_info
from .hub import RhombusHub
from .identity.sightings import async_log_sightings
from .locations import LocationsCoordinator
from .locations.alarm import ALARM_SETTINGS_ENTITY, AlarmCoordinator
from .locations.alerts import LocationAlerts
from .locations.lockdown import LOCKDOWN_ENTITY, LockdownCoordinator
from .locations.lockdown_service import async_setup_lockdown_services
from .media.access import FederatedTokens
from .media.clip_service import async_setup_clip_service
from .media.footage import EntryFootage
from .media.proxy import async_register_proxy_views
from .media.sightings import async_register_frame_view
from .media.views import async_register_views
from .migration import async_finish_migration, async_migrate_entry
from .pauses import PAUSE_ENTITY, AlertPauses
from .pauses.service import async_setup_pause_service
from .services import async_setup_services
from .settings import endpoints_from
from .site.deprecation import async_watch_deprecated_door_entities
from .site.hub import SiteHub

__all__ = ["async_migrate_entry"]

PLATFORMS: list[Platform] = [
    Platform.ALARM_CONTROL_PANEL,
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.LOCK,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SIREN,
    Platform.SWITCH,
    Platform.UPDATE,
]
# Set up from the UI only; actions are registered once, for every entry.
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the actions and the media views, for whichever entry they name."""
    async_setup_services(hass)
    async_setup_clip_service(hass)
    async_setup_lockdown_services(hass)
    async_setup_audio_service(hass)
    async_setup_pause_service(hass)
    async_register_views(hass)
    async_register_frame_view(hass)
    async_register_proxy_views(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Check the key with one REST call, add the entities, start the stream."""
    session = async_get_clientsession(hass)
    endpoints = endpoints_from(entry.data)
    rest = RhombusRestClient(session, entry.data[CONF_API_KEY], endpoints.rest_url)
    coordinator = RhombusCoordinator(hass, entry, rest)
    await coordinator.async_config_entry_first_refresh()
    async_finish_migration(hass, entry, coordinator.data)  # before any entity
    site = SiteHub(hass, entry, rest, coordinator.gate)
    await site.async_setup()
    locations = LocationsCoordinator(hass, entry, rest, coordinator.gate)
    # A location list that fails now is read again later: no area meanwhile.
    await locations.async_refresh()
    alarm = AlarmCoordinator(hass, entry, rest, coordinator.gate)
    await alarm.async_refresh()
    lockdown = LockdownCoordinator(hass, entry, rest, coordinator.gate)
    await lockdown.async_refresh()
    hub = RhombusHub(hass, entry, rest, coordinator)
    entry.async_on_unload(site.async_register(hub))
    media = RhombusMediaClient(rest, session, endpoints)
    tokens = FederatedTokens(media)
    recordings = RhombusRecordingsClient(rest, media)
    footage = RhombusFootageClient(
        media, session, tokens=lambda renew: tokens.async_token(renew=renew)
    )
    controls = CameraControls(hass, entry, rest, coordinator)
    admin = RhombusDeviceAdminClient(rest)
    entry.runtime_data = RhombusData(
        rest=rest,
        coordinator=coordinator,
        hub=hub,
        site=site,
        locations=locations,
        alarm=alarm,
        lockdown=lockdown,
        location_alerts=LocationAlerts(entry),
        media=media,
        tokens=tokens,
        recordings=recordings,
        clips=RhombusClipsClient(rest),
        footage=EntryFootage(entry.entry_id, footage, recordings, media),
        controls=controls,
        firmware=FirmwareTracker(hass, entry, admin, coordinator, controls.reads),
        admin=admin,
        audio=AudioClips(hass, entry, rest, coordinator.gate),
        pauses=AlertPauses(hass, entry, rest, coordinator.gate),
    )
    async_remove_stale_devices(hass, entry)
    # Site devices hang under the org's device: it must exist before them.
    entry.runtime_data.org_device_id = (
        dr.async_get(hass)
        .async_get_or_create(config_entry_id=entry.entry_id, **org_device_info(entry))
        .id
    )

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_watch_deprecated_door_entities(hass, entry)

    @callback
    def cameras_changed() -> None:
        async_remove_stale_devices(hass, entry)
        hub.async_refresh_devices()

    entry.async_on_unload(coordinator.async_add_listener(cameras_changed))
    for listed in (*site.coordinators.by_kind.values(), locations):
        entry.async_on_unload(listed.async_add_listener(cameras_changed))
    # Config reads start once the control platforms can take their entities.
    controls.async_start()
    entry.async_on_unload(
        hub.async_register_consumer(
            entity_types={CONFIG_ENTITY}, on_change=controls.on_change
        )
    )
    entry.async_on_unload(async_log_sightings(hub))
    entry.async_on_unload(
        hub.async_register_consumer(
            entity_types={ALARM_SETTINGS_ENTITY}, on_change=alarm.on_stream
        )
    )
    entry.async_on_unload(
        hub.async_register_consumer(
            entity_types={LOCKDOWN_ENTITY}, on_change=lockdown.on_stream
        )
    )
    entry.async_on_unload(entry.runtime_data.location_alerts.async_register(hub))
    entry.async_on_unload(
        hub.async_register_consumer(
            entity_types={PAUSE_ENTITY}, on_change=entry.runtime_data.pauses.on_change
        )
    )
    hub.async_start()
    entry.async_on_unload(hub.async_stop)
    entry.async_on_unload(
        hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, hub.async_stop)
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Remove the entities; the stream and timers stop through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_config_entry_device(
    hass: HomeAssistant,  # noqa: ARG001 - the hook's signature
    entry: RhombusConfigEntry,
    device_entry: dr.DeviceEntry,
) -> bool:
    """Let the user delete a device once Rhombus no longer lists its hardware.

    Listed hardware (or the organisation's own device) would only come back
    while the entry is loaded, so deleting it is refused. The integration
    makes no child devices, so 2026.9's child entries never reach this.
    """
    if entry.state is not ConfigEntryState.LOADED:
        return True  # nothing would recreate it until setup, which does if needed
    data = entry.runtime_data
    in_use = {
        *data.coordinator.data,
        *data.site.devices,
        *(data.locations.data or {}),
        entry.unique_id,
    }
    return not any(
        domain == DOMAIN and uuid in in_use for domain, uuid in device_entry.identifiers
    )

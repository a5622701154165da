"""The switch "Alerts" of a camera, a site device or a location.

On: Rhombus raises this device's (or location's) alerts. Off: they are
paused for the option ``pause_hours``; turning it on again ends the pause. A
pause that ends by itself turns the switch back on (`AlertPauses` reads the
pauses again at its end). A camera's switch shows its own pause, not its
location's: the location has a switch of its own.

Disabled by default on cameras and site devices (most people pause a whole
place), enabled on locations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from ..actor import async_describe_admin
from ..aiorhombus import SiteDevice
from ..data import RhombusConfigEntry
from ..devices import camera_device_info
from ..entity import async_add_camera_entities
from ..locations import location_device_info
from ..settings import pause_hours
from ..site.coordinator import SiteCoordinator
from ..site.entity import async_add_site_entities, site_device_info
from .coordinator import AlertPauses

ALERTS = SwitchEntityDescription(
    key="alerts", translation_key="alerts", entity_category=EntityCategory.CONFIG
)


async def async_setup_alert_switches(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Read the pauses once; unless refused, a switch per camera, device, location."""
    data = entry.runtime_data
    pauses = data.pauses
    await pauses.async_refresh()
    if pauses.refused:
        return

    def for_camera(uuid: str) -> Iterator[Entity]:
        info = camera_device_info(data.coordinator.data[uuid])
        yield RhombusAlertsSwitch(pauses, uuid, info, location=False)

    def for_site(_coordinator: SiteCoordinator, device: SiteDevice) -> Iterator[Entity]:
        info = site_device_info(entry, device)
        yield RhombusAlertsSwitch(pauses, device.uuid, info, location=False)

    async_add_camera_entities(entry, async_add_entities, for_camera)
    async_add_site_entities(entry, async_add_entities, for_site)
    known: set[str] = set()

    @callback
    def add_locations() -> None:
        locations = data.locations.data or {}
        known.intersection_update(locations)
        new = [loc for uuid, loc in locations.items() if uuid not in known]
        known.update(loc.uuid for loc in new)
        async_add_entities(
            RhombusAlertsSwitch(
                pauses, loc.uuid, location_device_info(entry, loc), location=True
            )
            for loc in new
        )

    add_locations()
    entry.async_on_unload(data.locations.async_add_listener(add_locations))


class RhombusAlertsSwitch(CoordinatorEntity[AlertPauses], SwitchEntity):
    """On while Rhombus raises the target's alerts; off while they are paused."""

    _attr_has_entity_name = True
    entity_description = ALERTS

    def __init__(
        self,
        pauses: AlertPauses,
        target_uuid: str,
        device_info: DeviceInfo,
        *,
        location: bool,
    ) -> None:
        """Attach to the target's device; enabled by default on locations only."""
        super().__init__(pauses)
        self.target_uuid = target_uuid
        self._location = location
        self._attr_unique_id = f"{target_uuid}_alerts"
        self._attr_device_info = device_info
        self._attr_entity_registry_enabled_default = location

    @property
    def is_on(self) -> bool | None:
        """Whether no pause holds now (None before the first read)."""
        if not self.coordinator.read:
            return None
        return self.coordinator.active(self.target_uuid) is None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When a pause ends (alerts resume by themselves then)."""
        pause = self.coordinator.active(self.target_uuid)
        if pause is None:
            return {"paused_until": None}
        return {"paused_until": dt_util.utc_from_timestamp(pause.end_s).isoformat()}

    @property
    def target_name(self) -> str:
        """The device's name as the user sees it."""
        device = self.device_entry
        if device is None:
            return self.target_uuid
        return device.name_by_user or device.name or self.target_uuid

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Pause the alerts for the option ``pause_hours``."""
        hours = pause_hours(self.coordinator.config_entry.options)
        await self.coordinator.async_pause(
            [self.target_uuid],
            hours * 3600,
            location=self._location,
            who=await async_describe_admin(
                self.hass, self._context, f"pause the alerts of {self.target_name}"
            ),
            names=self.target_name,
        )

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """End the pause: Rhombus raises the alerts again."""
        await self.coordinator.async_resume(
            self.target_uuid,
            location=self._location,
            who=await async_describe_admin(
                self.hass, self._context, f"resume the alerts of {self.target_name}"
            ),
            name=self.target_name,
        )

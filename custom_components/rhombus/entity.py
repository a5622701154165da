"""The base of every per-camera entity."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .devices import camera_device_info
from .locations.devices import location_name


@callback
def async_add_camera_entities(
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for: Callable[[str], Iterable[Entity]],
) -> None:
    """Add each camera's entities now and whenever a camera appears.

    Every per-camera platform (binary_sensor, event, camera, image, ...) calls
    this from its ``async_setup_entry`` with ``entities_for(camera_uuid)``
    building that camera's entities, instead of walking the coordinator itself:

    - a camera added in Rhombus gets its entities at the coordinator refresh
      that first lists it (periodic, or debounced after a stream hint), with
      no reload;
    - a camera gone from the list is forgotten, so if it comes back (after its
      device was removed) its entities are added again.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()

    @callback
    def add_new_cameras() -> None:
        cameras = coordinator.data
        known.intersection_update(cameras)
        new = [uuid for uuid in cameras if uuid not in known]
        if not new:
            return
        known.update(new)
        async_add_entities(entity for uuid in new for entity in entities_for(uuid))

    add_new_cameras()
    entry.async_on_unload(coordinator.async_add_listener(add_new_cameras))


class RhombusDeviceEntity(CoordinatorEntity[RhombusCoordinator]):
    """Belongs to one camera's device; unique id ``<camera uuid>_<key>``."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: RhombusCoordinator,
        camera_uuid: str,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to its camera's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.camera_uuid = camera_uuid
        self._attr_unique_id = f"{camera_uuid}_{description.key}"
        camera = coordinator.data[camera_uuid]
        self._attr_device_info = camera_device_info(
            camera, location_name(coordinator.config_entry, camera.location_uuid)
        )

    @property
    def available(self) -> bool:
        """Unavailable once the camera is gone from the Rhombus camera list."""
        return super().available and self.camera_uuid in self.coordinator.data

"""The base of every per-camera entity."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import RhombusCoordinator
from .devices import camera_device_info


class RhombusCameraEntity(CoordinatorEntity[RhombusCoordinator]):
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
        self._attr_device_info = camera_device_info(coordinator.data[camera_uuid])

    @property
    def available(self) -> bool:
        """Unavailable once the camera is gone from the Rhombus camera list."""
        return super().available and self.camera_uuid in self.coordinator.data

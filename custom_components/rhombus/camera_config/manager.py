"""Per-entry camera controls: what each camera reports, reads, verified writes.

Reads cost little. A camera is read only while one of its controls is enabled
(at setup: the registry says so, or the camera has never had controls): one
features call for all such cameras, then their configs through the read queue.
After that a camera is read again only after our own write, at its stream
``DEVICE_CONFIG`` change and every `REFRESH_INTERVAL`. With every control
disabled no config call is made at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval

from ..aiorhombus import (
    CameraConfig,
    ChangeEvent,
    ConfigValue,
    RhombusConfigClient,
    RhombusError,
    RhombusFeaturesClient,
    RhombusRateLimitError,
    RhombusRestClient,
)
from ..const import DOMAIN
from ..coordinator import RhombusCoordinator
from ..data import RhombusConfigEntry
from .descriptions import CONFIG_FIELDS, CONTROL_KEYS, ControlDescription
from .read_queue import ReadQueue

REFRESH_INTERVAL = timedelta(minutes=30)
# The stream's "camera or sensor configuration change" (not in EntityEnum).
CONFIG_ENTITY = "DEVICE_CONFIG"

type EntityFactory = Callable[[str, ControlDescription], Entity]


class CameraControls:
    """The controls of one entry's cameras."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        coordinator: RhombusCoordinator,
    ) -> None:
        """Nothing is read before `async_start`."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.config_client = RhombusConfigClient(rest)
        self.features_client = RhombusFeaturesClient(rest)
        self.reads = ReadQueue(hass, entry, coordinator.gate)
        self.configs: dict[str, CameraConfig] = {}
        self.features: dict[str, Mapping[str, bool]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._writes: dict[str, int] = {}  # how many writes each camera has had
        self._enabled: dict[str, int] = {}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._platforms: list[
            tuple[Platform, AddConfigEntryEntitiesCallback, EntityFactory]
        ] = []
        self._created: set[tuple[str, str]] = set()
        self._seen: set[str] = set()

    # Set-up ------------------------------------------------------------------

    @callback
    def async_add_platform(
        self,
        platform: Platform,
        add_entities: AddConfigEntryEntitiesCallback,
        factory: EntityFactory,
    ) -> None:
        """A platform's controls are added as each camera's config arrives."""
        self._platforms.append((platform, add_entities, factory))

    @callback
    def async_start(self) -> None:
        """Read the cameras whose controls are enabled; refresh every 30 min."""
        self._new_cameras()
        self.entry.async_on_unload(
            self.coordinator.async_add_listener(self._new_cameras)
        )
        self.entry.async_on_unload(
            async_track_time_interval(self.hass, self._refresh, REFRESH_INTERVAL)
        )

    @callback
    def _new_cameras(self) -> None:
        # A camera gone from the list is forgotten: back later, it is new again.
        for uuid in self._seen - set(self.coordinator.data):
            self._seen.discard(uuid)
            self.configs.pop(uuid, None)
            self.features.pop(uuid, None)
            self._created = {made for made in self._created if made[0] != uuid}
        new = [uuid for uuid in self.coordinator.data if uuid not in self._seen]
        self._seen.update(new)
        self._read([uuid for uuid in new if self._wanted(uuid)], listed=True)

    def _wanted(self, uuid: str) -> bool:
        """Whether a control of the camera is enabled, or would be (never made)."""
        registry = er.async_get(self.hass)
        known = False
        for platform, description in CONTROL_KEYS:
            unique_id = f"{uuid}_{description.key}"
            entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
            entry = registry.async_get(entity_id) if entity_id else None
            if entry is not None:
                known = True
                if entry.disabled_by is None:
                    return True
        return not known

    @callback
    def _refresh(self, _now: datetime | None = None) -> None:
        enabled = [uuid for uuid, count in self._enabled.items() if count > 0]
        # A camera whose first read failed has no control yet: try it again.
        unread = [
            uuid
            for uuid in self._seen
            if uuid not in self.configs and uuid not in enabled and self._wanted(uuid)
        ]
        self._read([*enabled, *unread])

    def _read(self, uuids: list[str], *, listed: bool = False) -> None:
        """Read features and configs.

        ``listed``: new cameras, whose features the camera list's refresh has
        just read (one call for all, shared): only the others are asked.
        """
        if not uuids:
            return
        missing = uuids
        if listed:
            shared = self.coordinator.features
            self.features.update({u: shared[u] for u in uuids if u in shared})
            missing = [uuid for uuid in uuids if uuid not in shared]
        if missing:
            self.reads.request(
                "features:" + ",".join(missing), lambda: self._read_features(missing)
            )
        for uuid in uuids:
            self.request_config(uuid)

    def request_features(self, uuid: str) -> None:
        """Read the camera's features soon (once, however often asked)."""
        self.reads.request(f"features:{uuid}", lambda: self._read_features([uuid]))

    def request_config(self, uuid: str) -> None:
        """Read the camera's config soon (once, however often asked)."""
        self.reads.request(f"config:{uuid}", lambda: self._read_config(uuid))

    async def _read_features(self, uuids: Iterable[str]) -> None:
        uuids = list(uuids)
        writes = {uuid: self._writes.get(uuid, 0) for uuid in uuids}
        found = await self.features_client.get_features(uuids)
        for uuid, features in found.items():
            # A write since the call, or under way, read back a newer value.
            lock = self._locks.get(uuid)
            if self._writes.get(uuid, 0) != writes.get(uuid, 0) or (
                lock is not None and lock.locked()
            ):
                continue
            self.features[uuid] = features
            self._changed(uuid)

    async def _read_config(self, uuid: str) -> None:
        if uuid not in self.coordinator.data:
            return
        # Not across a write: its read-back is newer than a read sent before it.
        async with self._locks.setdefault(uuid, asyncio.Lock()):
            config = await self.config_client.get_config(uuid, CONFIG_FIELDS)
            self.configs[uuid] = config
        self._changed(uuid)

    @callback
    def on_change(self, event: ChangeEvent) -> None:
        """A stream change: re-read a camera whose config changed in Rhombus."""
        if event.entity_type != CONFIG_ENTITY:
            return
        # A device uuid may carry a facet (``<uuid>.v0``).
        uuid = (event.device_uuid or event.entity_uuid or "").split(".", 1)[0]
        if self._enabled.get(uuid):
            self.request_config(uuid)

    # State -----------------------------------------------------------------

    def value(self, uuid: str, description: ControlDescription) -> ConfigValue | None:
        """What Rhombus last reported for the control (None: unknown)."""
        if description.feature is not None:
            return self.features.get(uuid, {}).get(description.feature)
        config = self.configs.get(uuid)
        if config is None or description.config_field is None:
            return None
        return config.get(description.config_field)

    @callback
    def _changed(self, uuid: str) -> None:
        for platform, add_entities, factory in self._platforms:
            new = [
                factory(uuid, description)
                for kind, description in CONTROL_KEYS
                if kind == platform
                and (uuid, description.key) not in self._created
                and self.value(uuid, description) is not None
            ]
            self._created.update((uuid, entity_key(e)) for e in new)
            if new:
                add_entities(new)
        for cb in list(self._listeners.get(uuid, ())):
            cb()

    @callback
    def async_track(self, uuid: str, cb: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """An enabled control of the camera: keep it read; ``cb`` at each change."""
        self._enabled[uuid] = self._enabled.get(uuid, 0) + 1
        self._listeners.setdefault(uuid, []).append(cb)

        @callback
        def untrack() -> None:
            self._enabled[uuid] -= 1
            self._listeners[uuid].remove(cb)

        return untrack

    # Writes ----------------------------------------------------------------

    async def async_write(
        self, uuid: str, description: ControlDescription, value: ConfigValue, name: str
    ) -> None:
        """Send the one changed field, read it back; raise if it did not take.

        Two writes to one camera run one after the other, each with its own
        read-back, so neither reads the other's half-done state.
        """
        placeholders = {"control": name, "camera": self._camera_name(uuid)}
        async with self._locks.setdefault(uuid, asyncio.Lock()):
            self._writes[uuid] = self._writes.get(uuid, 0) + 1
            try:
                await self._send(uuid, description, value)
                reported = self.value(uuid, description)
            except RhombusRateLimitError as err:
                wait = self.coordinator.gate.close_for(err.retry_after)
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="rate_limited",
                    translation_placeholders={"seconds": str(round(wait))},
                ) from err
            except RhombusError as err:
                # Whatever happened, show Rhombus's value.
                if description.feature is not None:
                    self.request_features(uuid)
                else:
                    self.request_config(uuid)
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="control_failed",
                    translation_placeholders={**placeholders, "error": str(err)},
                ) from err
            finally:
                self._changed(uuid)
        if reported != value:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="control_not_applied",
                translation_placeholders=placeholders,
            )

    async def _send(
        self, uuid: str, description: ControlDescription, value: ConfigValue
    ) -> None:
        if description.feature is not None:
            await self.features_client.update_feature(
                uuid, description.feature, on=bool(value)
            )
            self.features.update(await self.features_client.get_features([uuid]))
            return
        config = self.configs[uuid]
        assert description.config_field is not None  # noqa: S101 - a field control
        await self.config_client.update_field(config, description.config_field, value)
        self.configs[uuid] = await self.config_client.get_config(uuid, CONFIG_FIELDS)

    def _camera_name(self, uuid: str) -> str:
        camera = self.coordinator.data.get(uuid)
        return camera.name if camera else uuid


def entity_key(entity: Entity) -> str:
    """The control key of an entity this module made (its unique id's tail)."""
    unique_id = entity.unique_id or ""
    return unique_id.split("_", 1)[1] if "_" in unique_id else unique_id

"""The site half of `RhombusSimulator`'s API: state changes, alerts, faults.

Every state change updates what REST serves first, then sends its change
message, so a client re-reading on the hint sees the new state. The message
shapes are inferred (no source shows one): ``entity`` / ``entityUuid`` /
``type: UPDATE`` / ``deviceUuid`` / ``timestampMs`` plus the new object under
``update``, as for policy alerts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
import contextlib
from typing import Any

from .events import change_body
from .faults import FaultPlan, RestFault
from .site_api import SiteApi
from .site_world import (
    ACCESS_CONTROL,
    AUDIO_GATEWAY,
    CLIMATE_SENSOR,
    DOOR_SENSOR,
    ENVIRONMENTAL_GATEWAY,
    KINDS,
    OCCUPANCY_SENSOR,
    PATHS,
    SimAccessDoor,
    SimSiteDevice,
    SiteWorld,
)
from .world import World, now_ms

# The change entity each kind's state change sends (buttons have none; the
# E50 has none of its own, CLIMATE_STATE is inferred).
STATE_ENTITIES = {
    DOOR_SENSOR: "DOOR_STATE",
    CLIMATE_SENSOR: "CLIMATE_STATE",
    ENVIRONMENTAL_GATEWAY: "CLIMATE_STATE",
    OCCUPANCY_SENSOR: "OCCUPANCY_STATE",
    AUDIO_GATEWAY: "AUDIO_STATE",
}
_DOOR_ALERTS = {"OPEN": "DOOR_OPENED", "CLOSED": "DOOR_CLOSED", "AJAR": "DOOR_AJAR"}
_DPI_ALERTS = {
    "OPEN": "AC_DPI_DOOR_OPEN",
    "CLOSED": "AC_DPI_DOOR_CLOSED",
    "AJAR": "AC_DPI_DOOR_AJAR",
    "FORCED_OPEN": "AC_DPI_DOOR_FORCED_OPEN",
}
_SHADOW_ENTITIES = {
    "DoorPositionIndicatorShadow": "COMPONENT_DOOR_POSITION_INDICATOR_SHADOW",
    "DoorRelayShadow": "COMPONENT_DOOR_RELAY_SHADOW",
    "DoorReaderShadow": "COMPONENT_DOOR_READER_SHADOW",
}


class SiteControls:
    """Mixed into `RhombusSimulator`; ``site`` holds the hardware."""

    world: World
    faults: FaultPlan
    site: SiteWorld
    _site_api: SiteApi
    _site_tasks: set[asyncio.Task[None]]
    # None: each door's own unlockTimeSec; tests set a fraction of a second.
    unlock_hold_seconds: float | None

    async def emit_change(self, body: Mapping[str, Any]) -> int:  # pragma: no cover
        """Provided by `RhombusSimulator`."""
        raise NotImplementedError

    # -- building -----------------------------------------------------------

    def add_site_device(
        self, kind: str, name: str, hw_variation: str, **fields: Any
    ) -> SimSiteDevice:
        """Add a sensor or gateway with spec fields (e.g. ``status="CLOSED"``)."""
        return self.site.add(kind, name, hw_variation, **fields)

    def add_access_door(
        self, name: str, *, remote_unlock: bool | None = True, unlock_sec: int = 5
    ) -> SimAccessDoor:
        """Add an access-controlled door (closed, locked, reader connected)."""
        return self.site.add_door(
            name, remote_unlock=remote_unlock, unlock_sec=unlock_sec
        )

    def add_null_device(self, kind: str) -> str:
        """Fault: add a device whose every field but its id is null; its uuid."""
        return self.site.add_null(kind)

    def override_site_fields(self, uuid: str, **fields: Any) -> None:
        """Set declared fields to anything (bad enums, -300 °C), no message."""
        self.site.device(uuid).update(fields)

    def remove_site_device(self, uuid: str) -> None:
        """Remove a sensor, gateway or door; no message (as for cameras)."""
        self.site.remove(uuid)

    # -- state changes ------------------------------------------------------

    async def set_site_state(self, uuid: str, **fields: Any) -> None:
        """Change a sensor's or gateway's fields, then send its state message."""
        device = self.site.device(uuid)
        if "lastSeenSec" in KINDS[device.kind][0]:
            fields.setdefault("lastSeenSec", now_ms() // 1000)
        if device.kind == ENVIRONMENTAL_GATEWAY:
            fields.setdefault("timestampMs", now_ms())
        device.update(fields)
        entity = STATE_ENTITIES.get(device.kind)
        if entity is not None:
            await self._send_state(entity, uuid, uuid, dict(device.state))

    async def set_door_sensor(
        self, uuid: str, status: str, *, alert: bool = True
    ) -> None:
        """OPEN/CLOSED/AJAR: DOOR_STATE, then the matching DOOR_* alert."""
        await self.set_site_state(uuid, status=status)
        if alert and status in _DOOR_ALERTS:
            await self.emit_site_alert(uuid, [_DOOR_ALERTS[status]])

    async def set_occupancy(
        self, uuid: str, status: str, *, alert: bool = True
    ) -> None:
        """VACANT/MOVEMENT/OCCUPIED: OCCUPANCY_STATE, then the PIR_* alert."""
        await self.set_site_state(uuid, status=status)
        if alert:
            await self.emit_site_alert(uuid, [f"PIR_{status}"])

    async def press_button(self, uuid: str, press: str = "SINGLE") -> str:
        """SINGLE/DOUBLE/LONG: a BUTTON_*_PRESSED alert (buttons send no state)."""
        return await self.emit_site_alert(uuid, [f"BUTTON_{press}_PRESSED"])

    async def emit_sound(self, uuid: str, sound: str = "GLASS_BREAK") -> str:
        """An AUDIO_SOUND_<sound> alert from an audio gateway."""
        return await self.emit_site_alert(uuid, [f"AUDIO_SOUND_{sound}"])

    async def emit_site_alert(
        self, uuid: str, triggers: Iterable[str], *, description: str | None = None
    ) -> str:
        """Store and broadcast a POLICY_ALERT_V2 from a sensor; return its uuid."""
        device = self.site.device(uuid)
        triggers = list(triggers)
        alert = {
            "uuid": self.site.names.ruuid(),
            "type": "POLICY_ALERT_V2",
            "orgUuid": self.site.org_uuid,
            "locationUuid": self.site.location_uuid,
            "policyUuid": self.site.policy_uuid,
            "deviceUuid": uuid,
            "deviceType": KINDS[device.kind][2],
            "timestampMs": now_ms(),
            "durationSec": 0,
            "policyAlertTriggers": triggers,
            "textDescription": description or f"{triggers[0]} at {device.name}",
            "finalized": True,
            "delayedProcessing": False,
            "deleted": False,
            "notificationSent": True,
            "saved": False,
            "shared": False,
        }
        self.world.store_alert(alert)
        await self.emit_change(change_body(alert, shape="nested", change_type="CREATE"))
        return str(alert["uuid"])

    async def set_door_position(
        self, door_uuid: str, position: str, *, alert: bool = True
    ) -> None:
        """OPEN/CLOSED/AJAR/FORCED_OPEN on the door's position indicator."""
        door = self.site.door(door_uuid)
        await self._set_shadow(door.dpi, position)
        if alert and position in _DPI_ALERTS:
            await self.emit_door_alert(door_uuid, [_DPI_ALERTS[position]], door.dpi)

    async def set_door_lock(self, door_uuid: str, state: str) -> None:
        """LOCKED/UNLOCKED on the door's lock relay."""
        await self._set_shadow(self.site.door(door_uuid).relay, state)

    async def set_access_mode(
        self, door_uuid: str, mode: str, source: str = "SCHEDULE"
    ) -> None:
        """UNLOCKED/ACCESS_CONTROLLED on the door shadow (and its message)."""
        door = self.site.door(door_uuid)
        if door.shadow is None:
            raise ValueError(f"{door_uuid} has no shadow")
        door.shadow["state"] = {
            "state": mode,
            "source": source,
            "stateUpdateEventTimestampMs": now_ms(),
        }
        owner = door.door.get("ownerDeviceUuid")
        await self._send_state(
            "ACCESS_CONTROLLED_DOOR_SHADOW", door_uuid, owner, dict(door.shadow)
        )

    async def badge(self, door_uuid: str, *, authorized: bool = True) -> str:
        """A badge at the reader: AC_BADGE_*; an authorized one unlocks briefly."""
        door = self.site.door(door_uuid)
        trigger = "AC_BADGE_AUTHORIZED" if authorized else "AC_BADGE_UNAUTHORIZED"
        alert = await self.emit_door_alert(door_uuid, [trigger], door.reader)
        if authorized:
            await self._unlock_cycle(door, remote=False)
        return alert

    async def emit_door_alert(
        self, door_uuid: str, triggers: Iterable[str], component: str | None = None
    ) -> str:
        """Broadcast an ACCESS_CONTROLLED_DOOR_POLICY_ALERT (not kept in history).

        Its type has no ``deviceUuid``, which the alert history is keyed on;
        the door is ``accessControlledDoorUuid``.
        """
        door = self.site.door(door_uuid)
        triggers = list(triggers)
        alert = {
            "type": "ACCESS_CONTROLLED_DOOR_POLICY_ALERT",
            "uuid": self.site.names.ruuid(),
            "accessControlledDoorUuid": door_uuid,
            "accessControlUnitUuid": door.door.get("ownerDeviceUuid"),
            "componentUuid": component,
            "orgUuid": self.site.org_uuid,
            "locationUuid": self.site.location_uuid,
            "policyUuid": self.site.policy_uuid,
            "timestampMs": now_ms(),
            "policyAlertTriggers": triggers,
            "textDescription": f"{triggers[0]} at {door.name}",
        }
        body = {
            "entity": "POLICY_ALERT",
            "entityUuid": alert["uuid"],
            "type": "CREATE",
            "timestampMs": alert["timestampMs"],
            "update": alert,
        }
        await self.emit_change(body)
        return str(alert["uuid"])

    # -- faults ---------------------------------------------------------------

    def refuse_kind(self, kind: str, *, in_band: bool = False) -> None:
        """Fault: each call of ``kind`` fails (403 or ``error: true``) until cleared.

        Access control's responses declare no ``error`` fields, so the spec
        leaves that kind one way to refuse: the HTTP status.
        """
        if in_band and kind == ACCESS_CONTROL:
            msg = "access control answers declare no error fields: refuse with 403"
            raise ValueError(msg)
        for path in PATHS[kind]:
            if in_band:
                self.faults.add_rest_fault(_fault(path, None, "Permission denied"))
            else:
                self.faults.add_rest_fault(_fault(path, 403, None))

    def fail_unlock(
        self, error_type: str = "FAILED_SENDING_ACU_UNLOCK_REQUEST"
    ) -> None:
        """Fault: the next unlock answers ``type: ERROR`` with ``error_type``."""
        self._site_api.unlock_failures.append(error_type)

    @property
    def unlocked_doors(self) -> list[str]:
        """Door uuids unlocked through the API (successful calls), in order."""
        return self._site_api.unlocked

    # -- internals --------------------------------------------------------------

    async def _unlock_door(self, door: SimAccessDoor) -> None:
        await self._unlock_cycle(door, remote=True)

    async def _unlock_cycle(self, door: SimAccessDoor, *, remote: bool) -> None:
        if remote:
            await self.emit_door_alert(door.uuid, ["AC_REMOTE_UNLOCK"], door.relay)
        await self._set_shadow(door.relay, "UNLOCKED")
        await self._set_shadow(door.dpi, "OPEN")
        hold = self.unlock_hold_seconds
        if hold is None:
            hold = float(door.door.get("unlockTimeSec") or 5)
        task = asyncio.get_running_loop().create_task(self._relock(door, hold))
        self._site_tasks.add(task)
        task.add_done_callback(self._site_tasks.discard)

    async def _relock(self, door: SimAccessDoor, hold: float) -> None:
        await asyncio.sleep(hold)
        if door.uuid not in self.site.doors:
            return
        await self._set_shadow(door.dpi, "CLOSED")
        await self._set_shadow(door.relay, "LOCKED")

    async def _set_shadow(self, component: str | None, state: str) -> None:
        shadow = self.site.shadows.get(component or "")
        if shadow is None:
            raise ValueError("the door has no such component")
        shadow["state"] = state
        shadow["stateUpdateEventTimestampMs"] = now_ms()
        entity = _SHADOW_ENTITIES[shadow["type"]]
        await self._send_state(
            entity, shadow["componentUuid"], shadow["ownerDeviceUuid"], dict(shadow)
        )

    async def _send_state(
        self, entity: str, entity_uuid: str, device_uuid: Any, update: dict[str, Any]
    ) -> None:
        await self.emit_change(
            {
                "entity": entity,
                "entityUuid": entity_uuid,
                "type": "UPDATE",
                "deviceUuid": device_uuid,
                "timestampMs": now_ms(),
                "update": update,
            }
        )

    async def _stop_site(self) -> None:
        tasks, self._site_tasks = set(self._site_tasks), set()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _fault(path: str, status: int | None, error_body: str | None) -> RestFault:
    # times=0: until the faults are cleared.
    return RestFault(
        path, status, 0, retry_after=None, timeout=False, error_body=error_body
    )

"""Acting on the site: `RhombusSimulator`'s locations, alarm, lockdown, audio, pauses.

Each service's REST side is its own module (``locations``, ``lockdown``,
``audio``, ``alert_pause``).

The ``…_in_rhombus`` controls change state as if someone used the Rhombus
console: REST shows it at once and the stream gets the same message an API
call would send.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .alert_pause import (
    DEVICE,
    LOCATION,
    PAUSE_PATHS,
    PauseApi,
    PauseWorld,
    pause_message,
)
from .audio import AUDIO_PATHS, AudioApi, AudioWorld, SimPlay
from .faults import FaultPlan, RestFault
from .locations import ALARM_PATHS, LOCATIONS_PATH, LocationsApi, LocationsWorld
from .lockdown import LOCKDOWN_PATHS, LockdownApi, LockdownWorld
from .rest import RestApi
from .site_world import AUDIO_GATEWAY, SiteWorld
from .world import World, now_ms

# The paths each service's refusal fault covers (the client's SiteService).
SERVICE_PATHS: dict[str, tuple[str, ...]] = {
    "locations": (LOCATIONS_PATH,),
    "alarm_monitoring": ALARM_PATHS,
    "lockdown": LOCKDOWN_PATHS,
    "audio": AUDIO_PATHS,
    "alert_pause": PAUSE_PATHS,
}


class ActControls:
    """Mixed into `RhombusSimulator`: the site-action state and its controls."""

    world: World
    site: SiteWorld
    faults: FaultPlan
    locations: LocationsWorld
    lockdown: LockdownWorld
    audio: AudioWorld
    pauses: PauseWorld

    async def emit_change(self, body: Mapping[str, Any]) -> int:  # pragma: no cover
        """Provided by `RhombusSimulator`."""
        raise NotImplementedError

    def _install_acts(self, rest: RestApi) -> None:
        """Build the worlds and serve their endpoints through ``rest``."""
        world = self.world
        self.locations = LocationsWorld(
            world.names, world.org_uuid, world.location_uuid, world.policy_uuid
        )
        self.lockdown = LockdownWorld(world.names, world.org_uuid)
        self.audio = AudioWorld(world.names, world.org_uuid, self._audio_gateways)
        self.pauses = PauseWorld(
            world.names, self._pausable_devices, lambda: set(self.locations.locations)
        )
        apis = (
            LocationsApi(self.locations, self.emit_change),
            LockdownApi(self.lockdown, self.emit_change),
            AudioApi(self.audio, self.emit_change),
            PauseApi(self.pauses, self.emit_change),
        )
        for api in apis:
            rest.endpoints.update(api.rest_endpoints())
            rest.async_endpoints.update(api.async_endpoints())

    def _audio_gateways(self) -> set[str]:
        return {u for u, d in self.site.devices.items() if d.kind == AUDIO_GATEWAY}

    def _pausable_devices(self) -> set[str]:
        return {*self.world.cameras, *self.site.devices, *self.site.doors}

    # -- locations and alarm monitoring -------------------------------------

    def add_location(self, name: str, *, parent_uuid: str | None = None) -> str:
        """Add a location (or a sub-location); its uuid."""
        return self.locations.add(name, parent_uuid=parent_uuid)

    def set_alarm_monitoring(
        self,
        location_uuid: str,
        pins: Iterable[str] = ("1234",),
        *,
        armed: bool = False,
    ) -> None:
        """Set alarm monitoring up at a location with these PINs (no message)."""
        location = self.locations.location(location_uuid)
        location.pins = set(pins)
        location.enabled = armed

    async def set_monitoring_in_rhombus(
        self,
        location_uuid: str,
        armed: bool,  # noqa: FBT001 - the state to set
    ) -> None:
        """Arm or disarm from the console: the state and its message."""
        location = self.locations.location(location_uuid)
        self.locations.set_enabled(location, armed)
        if self.locations.on_stream:
            await self.emit_change(self.locations.settings_change(location))

    async def emit_location_alert(
        self,
        location_uuid: str,
        triggers: Iterable[str],
        *,
        description: str | None = None,
    ) -> str:
        """Broadcast a location's POLICY_ALERT_V2 (``ALM_*``, ``AC_LOCKDOWN_*``).

        It has no device (``deviceUuid`` null), so, like a door's alert, it is
        not kept in the alert history. Which alerts Rhombus sends for alarm
        monitoring and lockdown is not documented: tests send them on purpose.
        """
        location = self.locations.location(location_uuid)
        triggers = list(triggers)
        alert = {
            "type": "POLICY_ALERT_V2",
            "uuid": self.world.names.ruuid(),
            "orgUuid": self.world.org_uuid,
            "locationUuid": location_uuid,
            "policyUuid": self.world.policy_uuid,
            "deviceUuid": None,
            "timestampMs": now_ms(),
            "durationSec": 0,
            "policyAlertTriggers": triggers,
            "textDescription": description or f"{triggers[0]} at {location.name}",
            "finalized": True,
        }
        await self.emit_change(
            {
                "entity": "POLICY_ALERT",
                "entityUuid": alert["uuid"],
                "type": "CREATE",
                "timestampMs": alert["timestampMs"],
                "update": alert,
            }
        )
        return str(alert["uuid"])

    # -- lockdown -------------------------------------------------------------

    def add_lockdown_plan(
        self,
        location_uuid: str,
        name: str = "Lockdown",
        *,
        scope: str = "LOCATION_LOCKDOWN",
    ) -> str:
        """Add a lockdown plan for a location (or the org's); its uuid."""
        self.locations.location(location_uuid)
        return self.lockdown.add_plan(location_uuid, name, scope)

    def lockdown_state(self, location_uuid: str) -> str:
        """``STANDARD_SECURITY`` or ``LOCKED_DOWN``."""
        return str(self.lockdown.state(location_uuid)["state"])

    async def lockdown_in_rhombus(
        self, location_uuid: str, plan_uuids: Iterable[str] | None = None
    ) -> None:
        """Lock a location down from the console (default: all its plans)."""
        plans = list(plan_uuids or self.lockdown.plans_of(location_uuid))
        if not plans:
            raise ValueError("the location has no lockdown plan")
        self.lockdown.set_state(location_uuid, plans)
        await self.emit_change(self.lockdown.message(location_uuid))

    async def end_lockdown_in_rhombus(self, location_uuid: str) -> None:
        """End a location's lockdown from the console."""
        self.lockdown.set_state(location_uuid, [])
        await self.emit_change(self.lockdown.message(location_uuid))

    def touch_lockdown(self, location_uuid: str) -> None:
        """Someone else saved the state: a newer version, no message."""
        self.lockdown.touch(location_uuid)

    def force_lockdown_result(self, result: str) -> None:
        """Fault: the next activate or deactivate answers ``result``, acting not."""
        self.lockdown.forced_results.append(result)

    # -- audio ------------------------------------------------------------------

    def add_audio_clip(self, name: str, *, duration_ms: int = 3000) -> str:
        """Upload a clip to the org; its uuid."""
        return self.audio.add_clip(name, duration_ms=duration_ms)

    @property
    def audio_plays(self) -> list[SimPlay]:
        """Every clip played on every gateway, in order."""
        return self.audio.plays

    def looping(self, gateway_uuid: str) -> str | None:
        """The clip looping on a gateway now, if any."""
        return self.audio.looping(gateway_uuid)

    def fail_tts(self, flag: str = "synthesisFailure") -> None:
        """Fault: the next ``uploadAudioText`` answers ``flag`` and no clip."""
        self.audio.tts_failures.append(flag)

    def fail_audio_play(self, times: int = 1) -> None:
        """Fault: the next plays answer ``success: false``."""
        self.audio.play_failures += times

    # -- paused alerts ------------------------------------------------------------

    async def pause_in_rhombus(
        self, target_uuid: str, seconds: int, *, location: bool = False
    ) -> str:
        """Pause a device's (or location's) alerts from the console; the pause uuid."""
        key = LOCATION if location else DEVICE
        interval = self.pauses.pause(key, target_uuid, seconds)
        await self.emit_change(pause_message(key, target_uuid, interval))
        return str(interval["uuid"])

    def alerts_paused(self, target_uuid: str) -> bool:
        """Whether a device's or location's alerts are paused now."""
        return self.pauses.is_paused(target_uuid)

    def advance_pause_clock(self, seconds: float) -> None:
        """Move the pause clock on (pauses end without a message)."""
        self.pauses.offset_s += seconds

    # -- faults ------------------------------------------------------------------

    def refuse_service(self, service: str, *, in_band: bool = False) -> None:
        """Fault: every call of ``service`` answers 403 (or ``error: true``)."""
        for path in SERVICE_PATHS[service]:
            self.faults.add_rest_fault(
                RestFault(
                    path,
                    None if in_band else 403,
                    0,  # until the faults are cleared
                    retry_after=None,
                    timeout=False,
                    error_body="Permission denied" if in_band else None,
                )
            )

"""Paused alert policies per device and per location, which expire.

Serves ``policy/getPolicyPauseSettings`` (the current and planned pauses:
an interval is gone once it has ended), ``pauseAlertPolicyForDevice`` /
``…ForLocation`` (one interval ``{uuid, timestampSec, durationSecs}`` per
target, from now or ``scheduledTimestampSec``) and
``deletePolicyPauseSettingForDevice`` / ``…ForLocation`` ``{uuid}`` (the
interval's uuid).

The clock is the wall clock (a test's freezer moves it) plus
``offset_s`` (`AlertPauseControls`' ``advance_pause_clock``).

Inferred, not settled by the spec: a pause or delete of something unknown, or
a pause without ``durationSec``, is an in-band error; each pause sends a
``POLICY_PAUSE`` CREATE and each delete a ``POLICY_PAUSE`` DELETE, the
interval's uuid as ``entityUuid`` (its target as ``deviceUuid`` for a device)
and, on CREATE, the interval and its target under ``update``; a pause that
ends by itself sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import time
from typing import Any

from .act_common import Emit, change, in_band_error, string, strings, whole
from .names import NameGenerator
from .rest import AsyncEndpoint, Endpoint, envelope

_BASE = "/api/policy/"
SETTINGS_PATH = _BASE + "getPolicyPauseSettings"
PAUSE_DEVICE_PATH = _BASE + "pauseAlertPolicyForDevice"
PAUSE_LOCATION_PATH = _BASE + "pauseAlertPolicyForLocation"
RESUME_DEVICE_PATH = _BASE + "deletePolicyPauseSettingForDevice"
RESUME_LOCATION_PATH = _BASE + "deletePolicyPauseSettingForLocation"
PAUSE_PATHS = (
    SETTINGS_PATH,
    PAUSE_DEVICE_PATH,
    PAUSE_LOCATION_PATH,
    RESUME_DEVICE_PATH,
    RESUME_LOCATION_PATH,
)
PAUSE_ENTITY = "POLICY_PAUSE"
DEVICE, LOCATION = "deviceUuid", "locationUuid"


class PauseWorld:
    """Pause intervals by target, for devices and for locations."""

    def __init__(
        self,
        names: NameGenerator,
        devices: Callable[[], set[str]],
        locations: Callable[[], set[str]],
    ) -> None:
        """``devices``/``locations``: the uuids a pause may name right now."""
        self.names = names
        self.known = {DEVICE: devices, LOCATION: locations}
        self.paused: dict[str, dict[str, list[dict[str, Any]]]] = {
            DEVICE: {},
            LOCATION: {},
        }
        self.offset_s = 0.0

    def now_s(self) -> float:
        """The pause clock, in epoch seconds."""
        return time.time() + self.offset_s

    def pause(
        self, key: str, target: str, seconds: int, start_s: int | None = None
    ) -> dict[str, Any]:
        """Add an interval for ``target``; return it."""
        interval = {
            "uuid": self.names.ruuid(),
            "timestampSec": int(self.now_s()) if start_s is None else start_s,
            "durationSecs": seconds,
        }
        self.paused[key].setdefault(target, []).append(interval)
        return interval

    def current(self, key: str) -> dict[str, list[dict[str, Any]]]:
        """Every interval not yet over, by target (ended ones are dropped)."""
        now = self.now_s()
        table = self.paused[key]
        for target in list(table):
            table[target] = [
                i for i in table[target] if i["timestampSec"] + i["durationSecs"] > now
            ]
            if not table[target]:
                del table[target]
        return {target: [dict(i) for i in items] for target, items in table.items()}

    def delete(self, key: str, uuid: str) -> str | None:
        """Remove an interval by uuid; its target, or None if unknown."""
        for target, items in self.paused[key].items():
            for interval in items:
                if interval["uuid"] == uuid:
                    items.remove(interval)
                    return target
        return None

    def is_paused(self, target: str) -> bool:
        """Whether a device's or location's alerts are paused now."""
        now = self.now_s()
        return any(
            i["timestampSec"] <= now
            for key in (DEVICE, LOCATION)
            for i in self.current(key).get(target, ())
        )


def pause_message(key: str, target: str, interval: Mapping[str, Any]) -> dict[str, Any]:
    """The stream's ``POLICY_PAUSE`` CREATE for a new interval (shape inferred)."""
    return change(
        PAUSE_ENTITY,
        interval["uuid"],
        "CREATE",
        device_uuid=target if key == DEVICE else None,
        update={**interval, key: target},
    )


class PauseApi:
    """The pause handlers."""

    def __init__(self, world: PauseWorld, emit: Emit) -> None:
        """Serve ``world``; ``emit`` sends stream messages."""
        self.world = world
        self._emit = emit

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The read, by path."""
        return {SETTINGS_PATH: self._settings}

    def async_endpoints(self) -> dict[str, AsyncEndpoint]:
        """Pause and resume (they send a message before answering)."""

        def pause(key: str) -> AsyncEndpoint:
            return lambda body: self._pause(key, body)

        def resume(key: str) -> AsyncEndpoint:
            return lambda body: self._resume(key, body)

        return {
            PAUSE_DEVICE_PATH: pause(DEVICE),
            PAUSE_LOCATION_PATH: pause(LOCATION),
            RESUME_DEVICE_PATH: resume(DEVICE),
            RESUME_LOCATION_PATH: resume(LOCATION),
        }

    def _settings(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(
            policiesPausedForDevicesMap=self.world.current(DEVICE),
            policiesPausedForLocationsMap=self.world.current(LOCATION),
            policiesPausedForComponentCompositesMap={},
        )

    async def _pause(self, key: str, body: Mapping[str, Any]) -> dict[str, Any]:
        targets = strings(body, "deviceUuids" if key == DEVICE else "locationUuids")
        seconds = whole(body, "durationSec")
        start = whole(body, "scheduledTimestampSec")
        known = self.world.known[key]()
        if not targets or any(target not in known for target in targets):
            return in_band_error("Unknown device or location")
        if seconds is None or seconds < 1:
            return in_band_error("durationSec must be positive")
        for target in dict.fromkeys(targets):
            interval = self.world.pause(key, target, seconds, start)
            await self._emit(pause_message(key, target, interval))
        return envelope()

    async def _resume(self, key: str, body: Mapping[str, Any]) -> dict[str, Any]:
        uuid = string(body, "uuid")
        target = self.world.delete(key, uuid) if uuid else None
        if uuid is None or target is None:
            return in_band_error("Pause setting not found")
        device = target if key == DEVICE else None
        await self._emit(change(PAUSE_ENTITY, uuid, "DELETE", device_uuid=device))
        return envelope()

"""Paused alerts: which devices and locations have their alert policy paused.

- ``policy/getPolicyPauseSettings``: "the current and planned" pauses, per
  device and per location, each a list of intervals ``{uuid, timestampSec,
  durationSecs}``;
- ``policy/pauseAlertPolicyForDevice`` / ``pauseAlertPolicyForLocation``:
  pause for ``durationSec`` from now (or from ``scheduledTimestampSec``);
- ``policy/deletePolicyPauseSettingForDevice`` / ``…ForLocation``
  ``{uuid}``: delete one interval, i.e. resume.

Inferred, not settled by the spec:

- ``timestampSec`` is the start (epoch seconds) and ``durationSecs`` the
  length; a pause is over at their sum, when Rhombus raises alerts again by
  itself (and may drop the interval from the list).
- The ``uuid`` a delete takes is the interval's own ``uuid`` (the notes read
  it so; the spec says only "uuid").
- A missing or null map means nothing is paused there (unlike a device list,
  reading "none" only shows alerts as on).
- An interval without its start or length is dropped (it cannot be shown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from .act_call import SiteService, act_call
from .rest import RhombusRestClient
from .site_parse import integer, text

SETTINGS_PATH: Final = "policy/getPolicyPauseSettings"
PAUSE_DEVICE_PATH: Final = "policy/pauseAlertPolicyForDevice"
PAUSE_LOCATION_PATH: Final = "policy/pauseAlertPolicyForLocation"
RESUME_DEVICE_PATH: Final = "policy/deletePolicyPauseSettingForDevice"
RESUME_LOCATION_PATH: Final = "policy/deletePolicyPauseSettingForLocation"
# Epoch seconds up to the year 2106: a later end (a pause "for ever") is
# clamped there, since a datetime cannot hold year 19448.
_MAX_S = 2**32


@dataclass(frozen=True, slots=True)
class AlertPause:
    """One pause interval of a device or a location."""

    uuid: str | None
    target_uuid: str
    start_s: int
    duration_s: int

    @property
    def end_s(self) -> int:
        """When alerts resume (epoch seconds)."""
        return self.start_s + self.duration_s

    def active_at(self, now_s: float) -> bool:
        """Whether alerts are paused at ``now_s``."""
        return self.start_s <= now_s < self.end_s


def _pauses(data: Mapping[str, Any], key: str) -> dict[str, tuple[AlertPause, ...]]:
    found: dict[str, tuple[AlertPause, ...]] = {}
    table = data.get(key)
    if not isinstance(table, Mapping):
        return found
    for target, items in table.items():
        if not isinstance(target, str) or not target or not isinstance(items, list):
            continue
        pauses = []
        for item in items:
            if not isinstance(item, Mapping):
                continue
            start = integer(item, "timestampSec", 0, _MAX_S)
            duration = integer(item, "durationSecs", 0, 2**62)
            if start is not None and duration is not None:
                duration = min(duration, _MAX_S - start)
                pauses.append(AlertPause(text(item, "uuid"), target, start, duration))
        if pauses:
            found[target] = tuple(sorted(pauses, key=lambda pause: pause.start_s))
    return found


@dataclass(frozen=True, slots=True)
class PauseSettings:
    """Every pause interval, by device and by location uuid."""

    devices: Mapping[str, tuple[AlertPause, ...]] = field(default_factory=dict)
    locations: Mapping[str, tuple[AlertPause, ...]] = field(default_factory=dict)

    def active(self, target_uuid: str, now_s: float) -> AlertPause | None:
        """The pause of a device or location at ``now_s`` (the latest ending)."""
        pauses = (
            *self.devices.get(target_uuid, ()),
            *self.locations.get(target_uuid, ()),
        )
        current = [pause for pause in pauses if pause.active_at(now_s)]
        return max(current, key=lambda pause: pause.end_s) if current else None


def _duration(seconds: int) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise ValueError("a pause lasts at least one second")
    return seconds


class RhombusAlertPauseClient:
    """Paused alert policies, through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def _call(
        self, path: str, body: Mapping[str, Any], *, read: bool = False
    ) -> dict[str, Any]:
        return await act_call(
            self._rest, SiteService.ALERT_PAUSE, path, body, read=read
        )

    async def get_pause_settings(self) -> PauseSettings:
        """The current and planned pauses of devices and locations."""
        data = await self._call(SETTINGS_PATH, {}, read=True)
        return PauseSettings(
            _pauses(data, "policiesPausedForDevicesMap"),
            _pauses(data, "policiesPausedForLocationsMap"),
        )

    async def pause_devices(
        self, device_uuids: Sequence[str], seconds: int, *, start_s: int | None = None
    ) -> None:
        """Pause the alerts of devices for ``seconds`` (from now or ``start_s``)."""
        body = self._body("deviceUuids", device_uuids, seconds, start_s)
        await self._call(PAUSE_DEVICE_PATH, body)

    async def pause_locations(
        self,
        location_uuids: Sequence[str],
        seconds: int,
        *,
        start_s: int | None = None,
    ) -> None:
        """Pause the alerts of whole locations for ``seconds``."""
        body = self._body("locationUuids", location_uuids, seconds, start_s)
        await self._call(PAUSE_LOCATION_PATH, body)

    async def resume_device(self, pause_uuid: str) -> None:
        """Delete one of a device's pause intervals (its `AlertPause.uuid`)."""
        await self._call(RESUME_DEVICE_PATH, {"uuid": pause_uuid})

    async def resume_location(self, pause_uuid: str) -> None:
        """Delete one of a location's pause intervals."""
        await self._call(RESUME_LOCATION_PATH, {"uuid": pause_uuid})

    @staticmethod
    def _body(
        key: str, uuids: Sequence[str], seconds: int, start_s: int | None
    ) -> dict[str, Any]:
        if isinstance(uuids, str):
            uuids = [uuids]
        targets = list(dict.fromkeys(uuids))
        if not targets:
            raise ValueError("nothing to pause")
        body: dict[str, Any] = {key: targets, "durationSec": _duration(seconds)}
        if start_s is not None:
            body["scheduledTimestampSec"] = start_s
        return body

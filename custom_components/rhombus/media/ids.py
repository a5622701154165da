"""Identifiers of the Rhombus media source, and its short-lived browse cache.

After ``media-source://rhombus/``, every identifier starts with the entry id:

- ``<entry>``: the account: its cameras, a folder per detection kind, saved clips;
- ``<entry>/camera/<camera>[/<ms>/<uuid>]``: a camera's alerts, newest first; the
  optional cursor opens the older page;
- ``<entry>/kind/<kind>[/<ms>/<uuid>]``: alerts of one kind across cameras;
- ``<entry>/clips[/<page ms>]``: the org's saved clips;
- ``<entry>/people``, ``<entry>/person/<person>[/<page key>]`` and
  ``<entry>/plates[/<ms>]``: who and which car (``media.sightings``);
- ``<entry>/alert/<camera>/<ms>/<duration s>``: plays the footage of an alert;
- ``<entry>/clip/<camera>/<region>/<clip>``: plays a saved clip of one of its cameras.

An id that does not parse, or names an entry that is not a loaded Rhombus entry
or a camera the account does not have, is refused before any REST call.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
import time
from typing import Any

from homeassistant.components.media_source import Unresolvable
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..detections import DetectionKind

CACHE_SECONDS = 30
CACHE_SIZE = 256

_ID = r"[A-Za-z0-9_-]{1,64}"
_ROUTES = {
    "account": re.compile(rf"(?P<entry>{_ID})"),
    "camera": re.compile(
        rf"(?P<entry>{_ID})/camera/(?P<key>{_ID})(?:/(?P<ms>\d{{1,15}})/(?P<uuid>{_ID}))?"
    ),
    "kind": re.compile(
        rf"(?P<entry>{_ID})/kind/(?P<key>[a-z_]{{1,32}})(?:/(?P<ms>\d{{1,15}})/(?P<uuid>{_ID}))?"
    ),
    "clips": re.compile(rf"(?P<entry>{_ID})/clips(?:/(?P<ms>\d{{1,15}}))?"),
    "people": re.compile(rf"(?P<entry>{_ID})/people"),
    "person": re.compile(
        rf"(?P<entry>{_ID})/person/(?P<key>{_ID})(?:/(?P<uuid>[A-Za-z0-9_-]{{1,512}}))?"
    ),
    "plates": re.compile(rf"(?P<entry>{_ID})/plates(?:/(?P<ms>\d{{1,15}}))?"),
    "alert": re.compile(
        rf"(?P<entry>{_ID})/alert/(?P<key>{_ID})/(?P<ms>\d{{1,15}})/(?P<dur>\d{{1,6}})"
    ),
    "clip": re.compile(
        rf"(?P<entry>{_ID})/clip/(?P<key>{_ID})/(?P<region>[a-z0-9-]{{1,40}})/(?P<uuid>{_ID})"
    ),
}


@dataclass(frozen=True, slots=True)
class MediaId:
    """A parsed identifier."""

    route: str
    entry: RhombusConfigEntry
    key: str | None
    ms: int | None
    uuid: str | None
    region: str | None
    duration: int | None


class BrowseCache:
    """Browse results kept ``CACHE_SECONDS``, keyed by (entry id, identifier)."""

    def __init__(self) -> None:
        """Empty."""
        self._items: dict[tuple[str, str], tuple[float, Any]] = {}

    def get(self, key: tuple[str, str]) -> Any | None:
        """The kept value, or None when absent or older than the lifetime."""
        found = self._items.get(key)
        if found is None or time.monotonic() > found[0]:
            self._items.pop(key, None)
            return None
        return found[1]

    def put(self, key: tuple[str, str], value: Any) -> None:
        """Keep ``value`` (the whole cache is dropped when it grows too big)."""
        if len(self._items) > CACHE_SIZE:
            self._items.clear()
        self._items[key] = (time.monotonic() + CACHE_SECONDS, value)


def parse_media_id(hass: HomeAssistant, identifier: str) -> MediaId:
    """Parse and check an identifier (``Unresolvable`` if it names nothing here)."""
    for route, pattern in _ROUTES.items():
        if (match := pattern.fullmatch(identifier)) is None:
            continue
        entry = _entry(hass, match["entry"])
        groups = match.groupdict()
        key = groups.get("key")
        cameras = entry.runtime_data.coordinator.data or {}
        if route in ("camera", "alert", "clip") and key not in cameras:
            break
        if route == "kind" and key not in {k.value for k in DetectionKind}:
            break
        ms, dur = groups.get("ms"), groups.get("dur")
        return MediaId(
            route,
            entry,
            key,
            int(ms) if ms else None,
            groups.get("uuid"),
            groups.get("region"),
            int(dur) if dur else None,
        )
    raise Unresolvable(translation_domain=DOMAIN, translation_key="media_unknown")


def _entry(hass: HomeAssistant, entry_id: str) -> RhombusConfigEntry:
    entry = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        raise Unresolvable(translation_domain=DOMAIN, translation_key="media_unknown")
    return entry

"""Config entry migration: version 1's entity options become registry choices.

Version 1 had a ``detections`` option (the kinds that get sensors) and a
``cameras`` allow-list; the entities of kinds or cameras left out were
removed. Version 2 creates every entity and lets the entity registry decide,
so the left-out entities are entered disabled by the user: nobody's
dashboard changes, and each can be enabled in the UI.

Which cameras were left out needs the camera list, and a migration must not
need Rhombus (made offline, the entry would stay in "Migration error" until
Home Assistant restarts). So the migration only moves the old choices into
the entry's data, and :func:`async_finish_migration` applies them at the
first setup whose camera list arrived, before any entity exists; then they
are gone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .aiorhombus import Camera
from .const import CONF_ALL_EVENTS, CONF_HOLD_SECONDS, DOMAIN, LOGGER
from .data import RhombusConfigEntry
from .detections import DetectionKind

_OLD_DETECTIONS = "detections"
_OLD_CAMERAS = "cameras"
_KEPT_OPTIONS = (CONF_HOLD_SECONDS, CONF_ALL_EVENTS)
# Version 1's choices, kept in the entry's data until the registry has them.
PENDING_CHOICES: Final = "v1_entity_choices"

# Every entity a camera has, as (platform, unique id suffix).
_CAMERA_ENTITIES = (
    (Platform.BINARY_SENSOR, "connectivity"),
    *((Platform.BINARY_SENSOR, kind.value) for kind in DetectionKind),
    (Platform.EVENT, "detection"),
    (Platform.IMAGE, "last_alert"),
    (Platform.CAMERA, "camera"),
)


async def async_migrate_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Migrate an entry to version 2, offline; False for a newer release's entry."""
    if entry.version != 1:  # a newer release wrote it: no downgrade
        return False
    chosen = entry.options.get(_OLD_DETECTIONS)
    allowed = list(entry.options.get(_OLD_CAMERAS) or ())
    data = dict(entry.data)
    if chosen is not None or allowed:
        data[PENDING_CHOICES] = {_OLD_DETECTIONS: chosen, _OLD_CAMERAS: allowed}
    options = {k: entry.options[k] for k in _KEPT_OPTIONS if k in entry.options}
    hass.config_entries.async_update_entry(entry, data=data, options=options, version=2)
    return True


def pending_choices(data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an entry's data a reconfigure must carry over (if any)."""
    return {k: data[k] for k in (PENDING_CHOICES,) if k in data}


@callback
def async_finish_migration(
    hass: HomeAssistant, entry: RhombusConfigEntry, cameras: Mapping[str, Camera]
) -> None:
    """Disable what version 1 left out, once, now that the cameras are known."""
    pending = entry.data.get(PENDING_CHOICES)
    if pending is None:
        return
    chosen = pending.get(_OLD_DETECTIONS)
    allowed = pending.get(_OLD_CAMERAS) or ()
    registry = er.async_get(hass)
    hidden = 0
    for uuid, camera in cameras.items():
        for platform, key in _entities_left_out(uuid, chosen, allowed):
            object_id = f"{camera.name} {key}"
            _disable_by_user(registry, entry, platform, f"{uuid}_{key}", object_id)
            hidden += 1
    data = {k: v for k, v in entry.data.items() if k != PENDING_CHOICES}
    hass.config_entries.async_update_entry(entry, data=data)
    LOGGER.info(
        "Rhombus %s: %d entities the old options left out are now disabled",
        entry.title,
        hidden,
    )


def _entities_left_out(
    uuid: str, chosen: list[str] | None, allowed: list[str] | tuple[()]
) -> Iterator[tuple[str, str]]:
    if allowed and uuid not in allowed:
        yield from _CAMERA_ENTITIES  # the whole camera was left out
    elif chosen is not None:
        for kind in DetectionKind:
            if kind.value not in chosen:
                yield Platform.BINARY_SENSOR, kind.value


def _disable_by_user(
    registry: er.EntityRegistry,
    entry: RhombusConfigEntry,
    platform: str,
    unique_id: str,
    object_id: str,
) -> None:
    """Enter the entity disabled by the user, whether it exists yet or not."""
    entity = registry.async_get_or_create(
        platform,
        DOMAIN,
        unique_id,
        config_entry=entry,
        suggested_object_id=object_id,
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    # An entry restored from the deleted ones keeps its old state: override it.
    if entity.disabled_by in (None, er.RegistryEntryDisabler.INTEGRATION):
        registry.async_update_entity(
            entity.entity_id, disabled_by=er.RegistryEntryDisabler.USER
        )

"""Config entry migration: version 1's entity options become registry choices.

Version 1 had a ``detections`` option (the kinds that get sensors) and a
``cameras`` allow-list; the entities of kinds or cameras left out were
removed. Version 2 creates every entity and lets the entity registry decide,
so at migration the left-out entities are entered disabled by the user:
nobody's dashboard changes, and each can be enabled in the UI.
"""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aiorhombus import RhombusError, RhombusRestClient
from .const import CONF_ALL_EVENTS, CONF_HOLD_SECONDS, DOMAIN, LOGGER
from .data import RhombusConfigEntry
from .detections import DetectionKind
from .settings import endpoints_from

_OLD_DETECTIONS = "detections"
_OLD_CAMERAS = "cameras"
_KEPT_OPTIONS = (CONF_HOLD_SECONDS, CONF_ALL_EVENTS)

# Every entity a camera has, as (platform, unique id suffix).
_CAMERA_ENTITIES = (
    (Platform.BINARY_SENSOR, "connectivity"),
    *((Platform.BINARY_SENSOR, kind.value) for kind in DetectionKind),
    (Platform.EVENT, "detection"),
    (Platform.IMAGE, "last_alert"),
    (Platform.CAMERA, "camera"),
)


async def async_migrate_entry(hass: HomeAssistant, entry: RhombusConfigEntry) -> bool:
    """Migrate an entry to version 2; False (tried again at the next start) if not."""
    if entry.version != 1:  # a newer release wrote it: no downgrade
        return False
    hidden = await _left_out(hass, entry)
    if hidden is None:
        return False
    registry = er.async_get(hass)
    for platform, unique_id, object_id in hidden:
        _disable_by_user(registry, entry, platform, unique_id, object_id)
    options = {k: entry.options[k] for k in _KEPT_OPTIONS if k in entry.options}
    hass.config_entries.async_update_entry(entry, options=options, version=2)
    LOGGER.info(
        "Rhombus %s: %d entities the old options left out are now disabled",
        entry.title,
        len(hidden),
    )
    return True


async def _left_out(
    hass: HomeAssistant, entry: RhombusConfigEntry
) -> list[tuple[str, str, str]] | None:
    """(platform, unique id, object id) of each entity the options left out.

    None when the camera list, needed to know the cameras left out, cannot be
    fetched now.
    """
    chosen = entry.options.get(_OLD_DETECTIONS)
    allowed = entry.options.get(_OLD_CAMERAS) or ()
    if chosen is None and not allowed:
        return []
    rest = RhombusRestClient(
        async_get_clientsession(hass),
        entry.data[CONF_API_KEY],
        endpoints_from(entry.data).rest_url,
    )
    try:
        cameras = await rest.get_cameras()
    except RhombusError as err:
        LOGGER.error(
            "Cannot migrate Rhombus %s without its camera list (%s); "
            "trying again at the next start",
            entry.title,
            err,
        )
        return None
    hidden: list[tuple[str, str, str]] = []
    for uuid, camera in cameras.items():
        for platform, key in _entities_left_out(uuid, chosen, allowed):
            hidden.append((platform, f"{uuid}_{key}", f"{camera.name} {key}"))
    return hidden


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

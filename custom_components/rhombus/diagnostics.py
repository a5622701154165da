"""Diagnostics: the stream's health, the camera list and options, no secrets.

Redaction is generous on purpose: any key that names a credential, and every
query-string value of a URL (signed media links carry their token there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .aiorhombus import RhombusError, RhombusIdentityClient
from .const import DOMAIN
from .data import RhombusConfigEntry
from .locations.diagnostics import location_diagnostics
from .secret_names import is_secret_name

# Who and which car are user data: redacted wherever they appear. ``name``
# only in entity attributes (elsewhere it names a camera or a device).
_PERSONAL_KEYS = frozenset(
    {"faces", "plates", "plate", "vehicle_name", "person_uuid", "labels"}
)
# An alert's description is Rhombus's sentence, which may name who it saw.
_PERSONAL_ATTRIBUTES = _PERSONAL_KEYS | {"name", "description"}

# Parts of a key (lower case, without "-" and "_") that mark its value secret.
# A URL, absolute or a path (entity_picture), with a query string.
_URL_WITH_QUERY = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|/)\S*\?\S*=", re.IGNORECASE)


def _secret_keys(data: Any) -> set[str]:
    """Every key anywhere in ``data`` whose name suggests a credential."""
    found: set[str] = set()
    if isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str) and is_secret_name(key):
                found.add(key)
            found |= _secret_keys(value)
    elif isinstance(data, list | tuple):
        for item in data:
            found |= _secret_keys(item)
    return found


def _redact_queries(data: Any) -> Any:
    """Keep each URL's parameter names, hide their values."""
    if isinstance(data, Mapping):
        return {key: _redact_queries(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_redact_queries(item) for item in data]
    if isinstance(data, str) and _URL_WITH_QUERY.match(data):
        parts = urlsplit(data)
        query = [
            (name, REDACTED)
            for name, _ in parse_qsl(parts.query, keep_blank_values=True)
        ]
        return urlunsplit(parts._replace(query=urlencode(query, safe="*")))
    return data


def redact(data: Mapping[str, Any]) -> dict[str, Any]:
    """Hide credentials, people's names and plates, URL query values."""
    redacted: dict[str, Any] = _redact_queries(
        async_redact_data(data, _secret_keys(data) | _PERSONAL_KEYS)
    )
    return redacted


async def _recognition(entry: RhombusConfigEntry) -> dict[str, Any]:
    """How many people and vehicles the org has named (is recognition set up)."""
    client = RhombusIdentityClient(entry.runtime_data.rest)
    try:
        people = await client.get_people()
        vehicles = await client.get_vehicles()
    except RhombusError as err:
        return {"error": type(err).__name__}
    return {
        "people": len(people),
        "vehicles": len(vehicles),
        "trusted_vehicles": sum(vehicle.trusted for vehicle in vehicles),
    }


def _iso(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp, UTC).isoformat() if timestamp else None


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
) -> dict[str, Any]:
    """The entry's settings, stream health, counters and camera list."""
    data = entry.runtime_data
    hub, coordinator = data.hub, data.coordinator
    stream = hub.stream
    stats = stream.stats
    auth_error = stream.auth_error
    return redact(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "stream": {
                "state": str(stream.state),
                "available": hub.available,
                "connected_since": _iso(stats.connected_since),
                "connects": stats.connects,
                "reconnects": max(stats.connects - 1, 0),
                "drops": stats.drops,
                "messages": stats.messages,
                "last_message_at": _iso(stats.last_message_at),
                "last_healthy_at": _iso(stats.last_healthy_at),
                "bad_frames": dict(stats.bad_frames),
                "auth_error_status": auth_error.status if auth_error else None,
                "forbidden": hub.access.forbidden,
            },
            "alerts": {
                "remembered": len(hub.alerts),
                "duplicates_suppressed": hub.alerts.duplicates,
                "replayed": hub.replayed,
            },
            "coordinator": {
                "last_update_success": coordinator.last_update_success,
                "update_interval": str(coordinator.update_interval),
            },
            "cameras": [asdict(camera) for camera in coordinator.data.values()],
            "site": _site(entry),
            "recognition": await _recognition(entry),
            "locations": location_diagnostics(entry),
        }
    )


def _site(entry: RhombusConfigEntry) -> dict[str, Any]:
    """Each kind's last refresh and devices, and the kinds the key may not read."""
    by_kind = entry.runtime_data.site.coordinators.by_kind
    return {
        "refused": entry.runtime_data.site.refused,
        "kinds": {
            str(kind): {
                "last_update_success": coordinator.last_update_success,
                "update_interval": str(coordinator.update_interval),
                "devices": [
                    asdict(device) for device in (coordinator.data or {}).values()
                ],
            }
            for kind, coordinator in by_kind.items()
        },
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: RhombusConfigEntry, device: dr.DeviceEntry
) -> dict[str, Any]:
    """One camera or site device: its data from Rhombus and its entities' states."""
    uuid = next((i for d, i in device.identifiers if d == DOMAIN), None)
    camera = entry.runtime_data.coordinator.data.get(uuid or "")
    hardware = entry.runtime_data.site.devices.get(uuid or "")
    entities = []
    for entity in er.async_entries_for_device(
        er.async_get(hass), device.id, include_disabled_entities=True
    ):
        state = hass.states.get(entity.entity_id)
        entities.append(
            {
                "entity_id": entity.entity_id,
                "unique_id": entity.unique_id,
                "translation_key": entity.translation_key,
                "disabled_by": entity.disabled_by,
                "state": state.state if state else None,
                "attributes": (
                    async_redact_data(dict(state.attributes), _PERSONAL_ATTRIBUTES)
                    if state
                    else None
                ),
            }
        )
    return redact(
        {
            "camera": asdict(camera) if camera else None,
            "site_device": asdict(hardware) if hardware else None,
            "device": {"name": device.name, "name_by_user": device.name_by_user},
            "entities": entities,
        }
    )

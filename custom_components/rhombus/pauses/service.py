"""Action ``rhombus.pause_alerts``: pause (or resume) alerts of devices and locations.

Admin-only (silencing alerts weakens the site's protection). Targets are
devices (a camera, a site device, a location's service device) or any of
their entities; ``duration`` defaults to the option ``pause_hours``;
``resume: true`` ends the current pauses instead.
"""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
import voluptuous as vol

from ..actor import async_describe_actor
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..services import async_register_admin_action
from ..settings import pause_hours

SERVICE_PAUSE_ALERTS = "pause_alerts"
ATTR_DURATION = "duration"
ATTR_RESUME = "resume"
MAX_PAUSE = timedelta(days=30)

PAUSE_ALERTS_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
            vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
            vol.Exclusive(ATTR_DURATION, "how"): vol.All(
                cv.time_period,
                cv.positive_timedelta,
                vol.Range(min=timedelta(seconds=1), max=MAX_PAUSE),
            ),
            vol.Exclusive(ATTR_RESUME, "how"): cv.boolean,
        }
    ),
    cv.has_at_least_one_key(ATTR_ENTITY_ID, ATTR_DEVICE_ID),
)

# (entry, location?) → target uuid → name
type Targets = dict[tuple[str, bool], tuple[RhombusConfigEntry, dict[str, str]]]


@callback
def async_setup_pause_service(hass: HomeAssistant) -> None:
    """Register ``rhombus.pause_alerts`` (once, in ``async_setup``)."""
    async_register_admin_action(
        hass, SERVICE_PAUSE_ALERTS, _pause_alerts, PAUSE_ALERTS_SCHEMA
    )


def _unknown_target(name: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="pause_unknown_target",
        translation_placeholders={"target": name},
    )


def _devices(hass: HomeAssistant, call: ServiceCall) -> list[dr.DeviceEntry]:
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    ids: list[str] = list(call.data.get(ATTR_DEVICE_ID, []))
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        entity = entities.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.device_id is None:
            raise _unknown_target(entity_id)
        ids.append(entity.device_id)
    found = []
    for device_id in dict.fromkeys(ids):
        if (device := devices.async_get(device_id)) is None:
            raise _unknown_target(device_id)
        found.append(device)
    return found


def _kind_of(entry: RhombusConfigEntry, uuid: str) -> bool | None:
    """True for a location, False for a camera or site device, None if unknown."""
    data = entry.runtime_data
    if uuid in (data.locations.data or {}):
        return True
    if uuid in (data.coordinator.data or {}) or uuid in data.site.devices:
        return False
    return None


def _targets(hass: HomeAssistant, call: ServiceCall) -> Targets:
    entries: list[RhombusConfigEntry] = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    targets: Targets = {}
    for device in _devices(hass, call):
        name = device.name_by_user or device.name or device.id
        uuids = [uuid for domain, uuid in device.identifiers if domain == DOMAIN]
        hit = next(
            (
                (entry, uuid, location)
                for entry in entries
                for uuid in uuids
                if (location := _kind_of(entry, uuid)) is not None
            ),
            None,
        )
        if hit is None:
            raise _unknown_target(name)
        entry, uuid, location = hit
        targets.setdefault((entry.entry_id, location), (entry, {}))[1][uuid] = name
    return targets


async def _pause_alerts(call: ServiceCall) -> ServiceResponse:
    """Pause (or resume) every target, one call per account and kind."""
    targets = _targets(call.hass, call)
    who = await async_describe_actor(call.hass, call.context)
    for (_entry_id, location), (entry, named) in targets.items():
        pauses = entry.runtime_data.pauses
        if call.data.get(ATTR_RESUME):
            for uuid, name in named.items():
                await pauses.async_resume(uuid, location=location, who=who, name=name)
            continue
        duration: timedelta | None = call.data.get(ATTR_DURATION)
        seconds = (
            int(duration.total_seconds())
            if duration is not None
            else pause_hours(entry.options) * 3600
        )
        await pauses.async_pause(
            list(named),
            seconds,
            location=location,
            who=who,
            names=", ".join(named.values()),
        )
    return None

"""Action ``rhombus.save_clip``: save a camera's window as a clip in the console.

The camera is named by its camera entity or its device; both lead to the
device whose identifier is the camera uuid and whose entry owns it. The clip's
uuid is returned as response data (``SupportsResponse.OPTIONAL``).
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..aiorhombus import (
    EARLIEST_MS,
    MAX_SPLICE_SECONDS,
    RhombusApiError,
    RhombusAuthError,
    RhombusError,
)
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..services import async_register_admin_action

SERVICE_SAVE_CLIP = "save_clip"
ATTR_START = "start"
ATTR_DURATION = "duration"
ATTR_TITLE = "title"
ATTR_CLIP_UUID = "clip_uuid"
MAX_TITLE = 100

SAVE_CLIP_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Exclusive(ATTR_ENTITY_ID, "camera"): cv.entity_id,
            vol.Exclusive(ATTR_DEVICE_ID, "camera"): cv.string,
            vol.Required(ATTR_START): cv.datetime,
            vol.Required(ATTR_DURATION): vol.All(cv.time_period, cv.positive_timedelta),
            vol.Optional(ATTR_TITLE): vol.All(cv.string, vol.Length(max=MAX_TITLE)),
        }
    ),
    cv.has_at_least_one_key(ATTR_ENTITY_ID, ATTR_DEVICE_ID),
)


@callback
def async_setup_clip_service(hass: HomeAssistant) -> None:
    """Register ``rhombus.save_clip`` (once, in ``async_setup``)."""
    async_register_admin_action(
        hass,
        SERVICE_SAVE_CLIP,
        _save_clip,
        SAVE_CLIP_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )


def _camera_of(call: ServiceCall) -> tuple[RhombusConfigEntry, str]:
    """The loaded entry and camera uuid the call names."""
    hass = call.hass
    device_id: str | None = call.data.get(ATTR_DEVICE_ID)
    if (entity_id := call.data.get(ATTR_ENTITY_ID)) is not None:
        entity = er.async_get(hass).async_get(entity_id)
        device_id = entity.device_id if entity and entity.platform == DOMAIN else None
    device = dr.async_get(hass).async_get(device_id) if device_id else None
    camera = (
        next((uuid for domain, uuid in device.identifiers if domain == DOMAIN), None)
        if device
        else None
    )
    for entry in hass.config_entries.async_entries(DOMAIN) if device and camera else ():
        # Not device.config_entries: 2026.8 deprecates it; this works on both.
        if device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        ):
            if entry.state is not ConfigEntryState.LOADED:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="entry_not_loaded",
                    translation_placeholders={"title": entry.title},
                )
            if camera in (entry.runtime_data.coordinator.data or {}):
                return entry, str(camera)
    raise ServiceValidationError(
        translation_domain=DOMAIN, translation_key="clip_unknown_camera"
    )


async def _save_clip(call: ServiceCall) -> ServiceResponse:
    """Save the clip; return its uuid when the caller asks for a response."""
    entry, camera = _camera_of(call)
    start: datetime = dt_util.as_utc(call.data[ATTR_START])
    seconds = int(call.data[ATTR_DURATION].total_seconds())
    if not 0 < seconds <= MAX_SPLICE_SECONDS:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="clip_bad_duration",
            translation_placeholders={"max": str(MAX_SPLICE_SECONDS)},
        )
    if start > dt_util.utcnow():
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="clip_in_future"
        )
    start_ms = int(start.timestamp() * 1000)
    if start_ms < EARLIEST_MS:  # before 1970 it would not even be an epoch time
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="clip_too_early"
        )
    clips = entry.runtime_data.clips
    try:
        uuid = await clips.splice(
            camera,
            start_ms,
            seconds,
            title=call.data.get(ATTR_TITLE),
        )
    except RhombusAuthError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="clip_auth_failed"
        ) from err
    except RhombusApiError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="clip_refused",
            translation_placeholders={"error": str(err)},
        ) from err
    except RhombusError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="clip_cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    return {ATTR_CLIP_UUID: uuid} if call.return_response else None

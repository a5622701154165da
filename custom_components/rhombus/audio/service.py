"""Action ``rhombus.play_audio``: a clip, or a spoken message, on audio gateways.

Admin-only (it speaks in the building). The gateways are named by their siren
entities or their devices, in one or more accounts. A clip is named by its
name or uuid; a ``message`` instead is spoken through a text-to-speech clip
made once for that text and voice and reused after (`AudioClips`).
"""

from __future__ import annotations

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
from ..aiorhombus import MAX_TTS_WORDS, AudioGateway, SiteKind
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..services import async_register_admin_action

SERVICE_PLAY_AUDIO = "play_audio"
ATTR_CLIP = "clip"
ATTR_MESSAGE = "message"
ATTR_VOICE = "voice"
ATTR_PLAY_COUNT = "play_count"
MAX_PLAY_COUNT = 100

PLAY_AUDIO_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
            vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
            vol.Exclusive(ATTR_CLIP, "sound"): vol.All(cv.string, vol.Length(min=1)),
            vol.Exclusive(ATTR_MESSAGE, "sound"): vol.All(
                cv.string, vol.Length(min=1, max=MAX_TTS_WORDS * 20)
            ),
            vol.Optional(ATTR_VOICE): cv.string,
            vol.Optional(ATTR_PLAY_COUNT): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=MAX_PLAY_COUNT)
            ),
        }
    ),
    cv.has_at_least_one_key(ATTR_ENTITY_ID, ATTR_DEVICE_ID),
    cv.has_at_least_one_key(ATTR_CLIP, ATTR_MESSAGE),
)


@callback
def async_setup_audio_service(hass: HomeAssistant) -> None:
    """Register ``rhombus.play_audio`` (once, in ``async_setup``)."""
    async_register_admin_action(
        hass, SERVICE_PLAY_AUDIO, _play_audio, PLAY_AUDIO_SCHEMA
    )


def _device_ids(hass: HomeAssistant, call: ServiceCall) -> list[str]:
    """The devices the call names, through its entities or directly."""
    entities = er.async_get(hass)
    found: list[str] = list(call.data.get(ATTR_DEVICE_ID, []))
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        entity = entities.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.device_id is None:
            raise _unknown_gateway(entity_id)
        found.append(entity.device_id)
    return list(dict.fromkeys(found))


def _unknown_gateway(name: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="audio_unknown_gateway",
        translation_placeholders={"target": name},
    )


def _gateway_of(entry: RhombusConfigEntry, uuids: set[str]) -> AudioGateway | None:
    """The audio gateway of ``entry`` among a device's uuids, if any."""
    listed = entry.runtime_data.site.coordinators.by_kind[SiteKind.AUDIO_GATEWAY].data
    for uuid in uuids:
        if isinstance(gateway := (listed or {}).get(uuid), AudioGateway):
            return gateway
    return None


def _gateways_by_entry(
    hass: HomeAssistant, call: ServiceCall
) -> dict[str, tuple[RhombusConfigEntry, dict[str, str]]]:
    """Each loaded entry's gateways the call names (uuid → name), by entry id."""
    registry = dr.async_get(hass)
    found: dict[str, tuple[RhombusConfigEntry, dict[str, str]]] = {}
    entries: list[RhombusConfigEntry] = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    for device_id in _device_ids(hass, call):
        device = registry.async_get(device_id)
        if device is None:
            raise _unknown_gateway(device_id)
        uuids = {uuid for domain, uuid in device.identifiers if domain == DOMAIN}
        for entry in entries:
            if (gateway := _gateway_of(entry, uuids)) is not None:
                named = found.setdefault(entry.entry_id, (entry, {}))[1]
                named[gateway.uuid] = gateway.name or gateway.uuid
                break
        else:
            raise _unknown_gateway(device.name_by_user or device.name or device_id)
    return found


async def _play_audio(call: ServiceCall) -> ServiceResponse:
    """Play the clip (or message) on every gateway named, one call per account."""
    targets = _gateways_by_entry(call.hass, call)
    who = await async_describe_actor(call.hass, call.context)
    for entry, gateways in targets.values():
        clips = entry.runtime_data.audio
        if (message := call.data.get(ATTR_MESSAGE)) is not None:
            clip = await clips.async_tts_clip(message, call.data.get(ATTR_VOICE))
        else:
            clip = await clips.async_clip(call.data[ATTR_CLIP])
        await clips.async_play(
            gateways, clip, who=who, play_count=call.data.get(ATTR_PLAY_COUNT)
        )
    return None

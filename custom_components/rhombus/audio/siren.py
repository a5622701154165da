"""The siren of an audio gateway: its tones are the org's uploaded clips.

``turn_on`` plays the chosen clip once, or looped for ``duration`` seconds;
``turn_off`` stops a looping clip (also one started in the Rhombus console).
Rhombus reports no playback state, so the siren shows on for as long as it
should be playing: the loop's duration, or the clip's length.

Without a tone it plays the tone it played last, or the org's only clip;
otherwise it asks for one (a translated error naming the choices).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homeassistant.components.siren import SirenEntity, SirenEntityDescription
from homeassistant.components.siren.const import (
    ATTR_DURATION,
    ATTR_TONE,
    SirenEntityFeature,
)
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from ..actor import async_describe_admin
from ..aiorhombus import AudioGateway, SiteDevice
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..site.coordinator import SiteCoordinator
from ..site.entity import RhombusSiteEntity, async_add_site_entities
from .clips import AudioClips, clip_names

SIREN = SirenEntityDescription(key="siren", translation_key="talk_down")


@callback
def async_setup_sirens(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """A siren per audio gateway, unless the key's role may not use audio."""
    clips = entry.runtime_data.audio

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[SirenEntity]:
        if isinstance(device, AudioGateway) and not clips.refused:
            yield RhombusSiren(coordinator, device, clips)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusSiren(RhombusSiteEntity, SirenEntity):
    """Plays the org's clips on one gateway."""

    _attr_supported_features = (
        SirenEntityFeature.TURN_ON
        | SirenEntityFeature.TURN_OFF
        | SirenEntityFeature.TONES
        | SirenEntityFeature.DURATION
    )
    _attr_is_on = False

    def __init__(
        self, coordinator: SiteCoordinator, device: SiteDevice, clips: AudioClips
    ) -> None:
        """Tones as the clip list reads now; they follow it."""
        super().__init__(coordinator, device, SIREN)
        self._clips = clips
        self._attr_available_tones = list[int | str](clip_names(clips.data or {}))
        self._last_tone: str | None = None
        self._end: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Follow the clip list (which polls only while a siren listens)."""
        await super().async_added_to_hass()
        self.async_on_remove(self._clips.async_add_listener(self._clips_changed))
        self.async_on_remove(self._cancel_end)
        if not self._clips.read:  # the first gateway, added after setup
            await self._clips.async_request_refresh()

    @callback
    def _clips_changed(self) -> None:
        self._attr_available_tones = list[int | str](clip_names(self._clips.data or {}))
        self.async_write_ha_state()

    @property
    def gateway(self) -> dict[str, str]:
        """The gateway, uuid → name (for the log)."""
        device = self.device
        name = device.name if device is not None and device.name else None
        return {self.device_uuid: name or self.device_uuid}

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Play the tone once, or looped for ``duration`` seconds."""
        tone = kwargs.get(ATTR_TONE)
        clips = self._clips.data or {}
        if tone is None:
            tone = self._last_tone
        if tone is None and len(clips) == 1:
            tone = next(iter(clips))
        if tone is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="audio_tone_required",
                translation_placeholders={"choices": self._clips.choices()},
            )
        clip = await self._clips.async_clip(str(tone))
        loop = kwargs.get(ATTR_DURATION) or None  # 0: play once
        who = await async_describe_admin(self.hass, self._context, "play audio")
        await self._clips.async_play(self.gateway, clip, who=who, loop_seconds=loop)
        self._last_tone = clip.name or clip.uuid
        self._playing(loop or (clip.duration_ms or 0) / 1000)

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Stop a looping clip."""
        who = await async_describe_admin(self.hass, self._context, "stop audio")
        await self._clips.async_stop(self.gateway, who=who)
        self._ended()

    def _playing(self, seconds: float) -> None:
        self._cancel_end()
        if seconds <= 0:
            return  # how long is not known: nothing to show
        self._attr_is_on = True
        self.async_write_ha_state()
        self._end = async_call_later(self.hass, seconds, self._ended)

    @callback
    def _ended(self, *_: Any) -> None:
        self._cancel_end()
        self._attr_is_on = False
        self.async_write_ha_state()

    @callback
    def _cancel_end(self) -> None:
        if self._end is not None:
            self._end()
            self._end = None

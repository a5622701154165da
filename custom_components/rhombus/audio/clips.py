"""The org's audio clips and playing them on gateways, for sirens and play_audio.

The clip list is one ``getAudioUploadMetadataForOrg`` call, refreshed once a
minute like the gateway list, and only while a siren listens (an org without
audio gateways makes no call). A key whose role may not use audio is said
once and gets no sirens; the entry loads as usual.

Text-to-speech clips are made once per text and voice and reused after: the
Rhombus console keeps every clip, and a message played each night must not
add one each night.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
)

from ..aiorhombus import (
    AudioClip,
    RhombusAudioClient,
    RhombusAudioError,
    RhombusError,
    RhombusRestClient,
    find_clip,
    find_tts_clip,
)
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from ..role_scoped import RoleScopedCoordinator

# The gateway list's cadence: nothing here polls faster while quiet.
CLIPS_INTERVAL: Final = timedelta(seconds=60)
# A text-to-speech clip's name in the console: recognisable, and short.
TTS_PREFIX: Final = "Home Assistant: "
_TTS_NAME_CHARS: Final = 40


def clip_names(clips: dict[str, AudioClip]) -> list[str]:
    """Each clip's name once, sorted: the sirens' tones and a user's choices.

    A clip without a name is left out, and so are the spoken clips
    ``play_audio`` made from messages: they are its own, not tones to pick.
    """
    names = {
        clip.name
        for clip in clips.values()
        if clip.name and not clip.name.startswith(TTS_PREFIX)
    }
    return sorted(names, key=str.casefold)


class AudioClips(RoleScopedCoordinator[dict[str, AudioClip]]):
    """The org's clips by uuid; empty when the key's role may not use audio."""

    failed_key = "audio_update_failed"
    refusal = "use audio"
    without = "audio gateways get no siren"

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Nothing is called until the first read or the first siren."""
        super().__init__(hass, entry, gate, name="audio clips", interval=CLIPS_INTERVAL)
        self.client = RhombusAudioClient(rest)
        self._tts_lock = asyncio.Lock()

    async def _async_update_data(self) -> dict[str, AudioClip]:
        return await self._async_read_scoped(self.client.get_clips, {})

    def choices(self) -> str:
        """The clip names a user may choose from, for an error message."""
        return ", ".join(clip_names(self.data or {})) or "none"

    async def async_clip(self, wanted: str) -> AudioClip:
        """A clip by name or uuid; read the list again once if it is not known."""
        if (clip := find_clip(self.data or {}, wanted)) is None:
            await self.async_refresh()
            clip = find_clip(self.data or {}, wanted)
        if clip is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="audio_unknown_clip",
                translation_placeholders={"clip": wanted, "choices": self.choices()},
            )
        return clip

    async def async_tts_clip(self, message: str, voice: str | None) -> AudioClip:
        """The clip speaking ``message`` in ``voice``: made once, then reused."""
        async with self._tts_lock:  # two calls at once make one clip
            if not self.read:  # a clip made before must be known first
                await self.async_refresh()
            clips = self.data or {}
            if (clip := find_tts_clip(clips, message, voice)) is not None:
                return clip
            name = TTS_PREFIX + message[:_TTS_NAME_CHARS].strip()
            try:
                uuid = await self.client.create_tts_clip(
                    message, name=name, voice_id=voice
                )
            except ValueError as err:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="audio_message_too_long",
                ) from err
            except RhombusAudioError as err:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="audio_tts_failed",
                    translation_placeholders={"error": err.reason},
                ) from err
            except RhombusError as err:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="audio_tts_failed",
                    translation_placeholders={"error": str(err)},
                ) from err
            LOGGER.info("Made the text-to-speech clip %s (%s)", name, uuid)
            clip = AudioClip(uuid, name, text=message, voice_id=voice)
            # Known at once, so the next call reuses it before the next read.
            self.async_set_updated_data({**clips, uuid: clip})
            return clip

    async def async_play(
        self,
        gateways: Mapping[str, str],
        clip: AudioClip,
        *,
        who: str,
        play_count: int | None = None,
        loop_seconds: int | None = None,
    ) -> None:
        """Play ``clip`` once (or as asked) on gateways (uuid → name), logged."""
        how = (
            f"looped for {loop_seconds} s"
            if loop_seconds
            else f"{play_count or 1} time(s)"
        )
        LOGGER.info(
            "Playing audio clip %s on %s (%s), asked by %s",
            clip.name or clip.uuid,
            ", ".join(gateways.values()),
            how,
            who,
        )
        try:
            await self.client.play_clip(
                list(gateways),
                clip.uuid,
                play_count=play_count,
                loop_seconds=loop_seconds,
            )
        except ValueError as err:  # a count or duration Rhombus cannot take
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="audio_bad_request",
                translation_placeholders={"error": str(err)},
            ) from err
        except RhombusAudioError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="audio_play_failed",
                translation_placeholders={"error": err.reason},
            ) from err
        except RhombusError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="audio_play_failed",
                translation_placeholders={"error": str(err)},
            ) from err

    async def async_stop(self, gateways: Mapping[str, str], *, who: str) -> None:
        """Stop a looping clip on gateways (uuid → name), logged with who asked."""
        names = ", ".join(gateways.values())
        LOGGER.info("Stopping audio on %s, asked by %s", names, who)
        try:
            confirmed = await self.client.cancel_looping(list(gateways))
        except RhombusError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="audio_stop_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        # A gateway missing from the map is unknown, not a failure.
        if refused := [
            name for uuid, name in gateways.items() if confirmed.get(uuid) is False
        ]:
            LOGGER.warning("Rhombus did not stop the audio on %s", ", ".join(refused))
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="audio_stop_refused",
                translation_placeholders={"gateways": ", ".join(refused)},
            )

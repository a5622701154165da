"""Audio on the audio gateways (A100): the org's clips, play, stop a loop, TTS.

- ``audioplayback/getAudioUploadMetadataForOrg``: the org's uploaded clips;
- ``audioplayback/playAudioUpload``: play a clip on gateways, ``playCount``
  times or looped for ``loopDurationSec``;
- ``audioplayback/cancelLoopingAudioPlayback``: stop a looping clip;
- ``audioplayback/uploadAudioText``: text to speech, stored as a new clip
  (played like any other; Rhombus allows 50 words).

Inferred, not settled by the spec:

- Gateways are named by their bare uuid (the field is a ``DeviceFacetUuid``,
  whose facet is optional).
- A play succeeded only when ``success`` is true; false or missing is
  `RhombusAudioError` (the play may or may not have happened: it is not
  repeated).
- ``playCount`` and ``loopDurationSec`` are sent as given, either or both;
  what Rhombus does with both is not documented.
- ``cancelLoopingAudioPlayback``'s ``successMap`` is keyed like the request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .act_call import SiteService, act_call
from .exceptions import RhombusError, RhombusProtocolError
from .rest import RhombusRestClient
from .site_parse import flag, integer, text

CLIPS_PATH: Final = "audioplayback/getAudioUploadMetadataForOrg"
PLAY_PATH: Final = "audioplayback/playAudioUpload"
CANCEL_PATH: Final = "audioplayback/cancelLoopingAudioPlayback"
TTS_PATH: Final = "audioplayback/uploadAudioText"
MAX_TTS_WORDS: Final = 50
_INT32 = 2**31 - 1
_MAX_DURATION_MS = 24 * 3600 * 1000
# The flags of a TTS answer that say why no clip was made.
_TTS_FAILURES = ("synthesisFailure", "invalidSSML", "encodingFailure")


@dataclass(frozen=True, slots=True)
class AudioClip:
    """An uploaded (or text-to-speech) clip of the org."""

    uuid: str
    name: str | None
    description: str | None = None
    duration_ms: int | None = None
    # Set on text-to-speech clips (inferred): the text and the voice.
    text: str | None = None
    voice_id: str | None = None
    mutable: bool | None = None

    @classmethod
    def from_api(cls, data: Any) -> AudioClip | None:
        """Read a clip; None without a uuid."""
        if not isinstance(data, Mapping) or (uuid := text(data, "uuid")) is None:
            return None
        return cls(
            uuid,
            text(data, "displayName"),
            text(data, "description"),
            integer(data, "durationMs", 0, _MAX_DURATION_MS),
            text(data, "audioPlaintext"),
            text(data, "voiceId"),
            flag(data, "mutable"),
        )


def find_clip(clips: Mapping[str, AudioClip], wanted: str) -> AudioClip | None:
    """A clip by uuid, else by name (case and outer spaces ignored; first wins)."""
    if (clip := clips.get(wanted)) is not None:
        return clip
    key = wanted.strip().casefold()
    for clip in clips.values():
        if clip.name is not None and clip.name.strip().casefold() == key:
            return clip
    return None


def find_tts_clip(
    clips: Mapping[str, AudioClip], message: str, voice_id: str | None = None
) -> AudioClip | None:
    """A text-to-speech clip already made from ``message`` in ``voice_id``.

    No voice asked for is Rhombus's default, which its clip list may name:
    then a clip of the message in any voice will do (one without a voice
    first), so a default voice filled in does not make a new clip each time.
    """
    spoken = [clip for clip in clips.values() if clip.text == message]
    if voice_id is not None:
        return next((clip for clip in spoken if clip.voice_id == voice_id), None)
    return min(spoken, key=lambda clip: clip.voice_id is not None, default=None)


class RhombusAudioError(RhombusError):
    """A play or a text-to-speech clip was not confirmed."""

    def __init__(self, message: str, reason: str) -> None:
        """Keep why: ``not_confirmed``, ``no_uuid`` or a TTS failure flag."""
        super().__init__(message)
        self.reason = reason


def _count(name: str, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not 1 <= value <= _INT32):
        raise ValueError(f"{name} must be a whole number from 1")


def _gateways(gateway_uuids: Sequence[str]) -> list[str]:
    if isinstance(gateway_uuids, str):
        gateway_uuids = [gateway_uuids]
    gateways = list(dict.fromkeys(gateway_uuids))
    if not gateways:
        raise ValueError("at least one audio gateway is needed")
    return gateways


class RhombusAudioClient:
    """Clips and playback on audio gateways, through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def _call(
        self, path: str, body: Mapping[str, Any], *, read: bool = False
    ) -> dict[str, Any]:
        return await act_call(self._rest, SiteService.AUDIO, path, body, read=read)

    async def get_clips(self) -> dict[str, AudioClip]:
        """Every clip of the org, by uuid."""
        data = await self._call(CLIPS_PATH, {}, read=True)
        items = data.get("audioUploadMetadata")
        if not isinstance(items, list):
            raise RhombusProtocolError(f"{CLIPS_PATH}: no audioUploadMetadata")
        clips = (AudioClip.from_api(item) for item in items)
        return {clip.uuid: clip for clip in clips if clip is not None}

    async def play_clip(
        self,
        gateway_uuids: Sequence[str],
        clip_uuid: str,
        *,
        play_count: int | None = None,
        loop_seconds: int | None = None,
    ) -> None:
        """Play a clip on gateways (``loop_seconds``: loop it that long)."""
        _count("play_count", play_count)
        _count("loop_seconds", loop_seconds)
        body: dict[str, Any] = {
            "audioGatewayUuids": _gateways(gateway_uuids),
            "audioUploadUuid": clip_uuid,
        }
        if play_count is not None:
            body["playCount"] = play_count
        if loop_seconds is not None:
            body["loopDurationSec"] = loop_seconds
        data = await self._call(PLAY_PATH, body)
        if data.get("success") is not True:
            raise RhombusAudioError(f"{PLAY_PATH}: play not confirmed", "not_confirmed")

    async def cancel_looping(self, gateway_uuids: Sequence[str]) -> dict[str, bool]:
        """Stop looping clips; whether each gateway confirmed (missing: unknown)."""
        data = await self._call(CANCEL_PATH, {"audioDevices": _gateways(gateway_uuids)})
        found = data.get("successMap")
        if not isinstance(found, Mapping):
            return {}
        return {
            uuid: ok
            for uuid, ok in found.items()
            if isinstance(uuid, str) and uuid and isinstance(ok, bool)
        }

    async def create_tts_clip(
        self,
        message: str,
        *,
        name: str,
        voice_id: str | None = None,
        description: str | None = None,
    ) -> str:
        """Synthesise ``message`` into a new clip named ``name``; its uuid."""
        if not message.strip():
            raise ValueError("the message is empty")
        if len(message.split()) > MAX_TTS_WORDS:
            raise ValueError(f"Rhombus speaks at most {MAX_TTS_WORDS} words")
        body: dict[str, Any] = {"audioPlaintext": message, "displayName": name}
        if voice_id is not None:
            body["voiceId"] = voice_id
        if description is not None:
            body["description"] = description
        data = await self._call(TTS_PATH, body)
        for key in _TTS_FAILURES:
            if data.get(key) is True:
                raise RhombusAudioError(f"{TTS_PATH}: {key}", key)
        if (uuid := text(data, "uuid")) is None:
            raise RhombusAudioError(f"{TTS_PATH}: no clip uuid", "no_uuid")
        return uuid

"""Audio clips, playback on audio gateways, looping and text-to-speech clips.

Serves ``audioplayback/getAudioUploadMetadataForOrg``, ``playAudioUpload``
(recorded in `AudioWorld.plays`; with ``loopDurationSec`` the gateway loops
the clip until the time is up or the loop is cancelled),
``cancelLoopingAudioPlayback`` and ``uploadAudioText`` (a new clip holding
the text and voice).

Inferred, not settled by the spec: an unknown clip or gateway, or a text over
50 words (the support guide's limit), is an in-band error; a gateway may be
named with or without its facet (``<uuid>.v0``); ``successMap`` says true for
each known gateway (a loop or not: nothing loops there after the call), false
for others. A play and a cancelled loop each send an ``AUDIO_STATE`` UPDATE for
the gateway (top-level fields only: the payload is not documented).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import time
from typing import Any

from .act_common import Emit, bare, change, in_band_error, string, strings, whole
from .names import NameGenerator
from .rest import AsyncEndpoint, Endpoint, envelope
from .world import BadRequestError

_BASE = "/api/audioplayback/"
CLIPS_PATH = _BASE + "getAudioUploadMetadataForOrg"
PLAY_PATH = _BASE + "playAudioUpload"
CANCEL_PATH = _BASE + "cancelLoopingAudioPlayback"
TTS_PATH = _BASE + "uploadAudioText"
AUDIO_PATHS = (CLIPS_PATH, PLAY_PATH, CANCEL_PATH, TTS_PATH)
MAX_TTS_WORDS = 50
_MS_PER_WORD = 400


@dataclass(frozen=True, slots=True)
class SimPlay:
    """One clip played on one gateway."""

    gateway_uuid: str
    clip_uuid: str
    play_count: int | None
    loop_seconds: int | None


class AudioWorld:
    """The org's clips, what was played where, and the loops playing now."""

    def __init__(
        self, names: NameGenerator, org_uuid: str, gateways: Callable[[], set[str]]
    ) -> None:
        """``gateways``: the uuids of the org's audio gateways right now."""
        self.names = names
        self.org_uuid = org_uuid
        self.gateways = gateways
        self.clips: dict[str, dict[str, Any]] = {}
        self.plays: list[SimPlay] = []
        # gateway → (clip, monotonic end of the loop)
        self.loops: dict[str, tuple[str, float]] = {}
        # Faults: flags the next TTS answers set; whether the next play fails.
        self.tts_failures: list[str] = []
        self.play_failures = 0

    def add_clip(
        self,
        name: str,
        *,
        duration_ms: int = 3000,
        text: str | None = None,
        voice_id: str | None = None,
        description: str | None = None,
    ) -> str:
        """Store a clip (``text``: a text-to-speech one); its uuid."""
        uuid = self.names.ruuid()
        self.clips[uuid] = {
            "uuid": uuid,
            "orgUuid": self.org_uuid,
            "displayName": name,
            "description": description,
            "durationMs": duration_ms,
            "mutable": True,
            "audioPlaintext": text,
            "audioSSML": None,
            "voiceId": voice_id,
            "s3ObjectKey": f"audio/{self.org_uuid}/{uuid}",
        }
        return uuid

    def looping(self, gateway_uuid: str) -> str | None:
        """The clip looping on a gateway now, if any."""
        loop = self.loops.get(gateway_uuid)
        if loop is None or loop[1] <= time.monotonic():
            self.loops.pop(gateway_uuid, None)
            return None
        return loop[0]


class AudioApi:
    """The audio handlers."""

    def __init__(self, world: AudioWorld, emit: Emit) -> None:
        """Serve ``world``; ``emit`` sends stream messages."""
        self.world = world
        self._emit = emit

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The clip list and text-to-speech, by path."""
        return {CLIPS_PATH: self._clips, TTS_PATH: self._tts}

    def async_endpoints(self) -> dict[str, AsyncEndpoint]:
        """Play and cancel (they send messages before answering)."""
        return {PLAY_PATH: self._play, CANCEL_PATH: self._cancel}

    def _clips(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        clips = [dict(clip) for clip in self.world.clips.values()]
        return envelope(audioUploadMetadata=clips)

    async def _play(self, body: Mapping[str, Any]) -> dict[str, Any]:
        gateways = [bare(uuid) for uuid in strings(body, "audioGatewayUuids")]
        clip = string(body, "audioUploadUuid")
        count = whole(body, "playCount")
        loop = whole(body, "loopDurationSec")
        if (count is not None and count < 1) or (loop is not None and loop < 1):
            raise BadRequestError("playCount and loopDurationSec must be positive")
        if clip is None or clip not in self.world.clips:
            return in_band_error("Audio clip not found")
        known = self.world.gateways()
        if not gateways or any(uuid not in known for uuid in gateways):
            return in_band_error("Audio gateway not found")
        if self.world.play_failures:
            self.world.play_failures -= 1
            return envelope(success=False)
        for uuid in dict.fromkeys(gateways):
            self.world.plays.append(SimPlay(uuid, clip, count, loop))
            if loop is not None:
                self.world.loops[uuid] = (clip, time.monotonic() + loop)
            await self._emit(change("AUDIO_STATE", uuid, device_uuid=uuid))
        return envelope(success=True)

    async def _cancel(self, body: Mapping[str, Any]) -> dict[str, Any]:
        known = self.world.gateways()
        result: dict[str, bool] = {}
        for named in strings(body, "audioDevices"):
            uuid = bare(named)
            result[named] = uuid in known
            if self.world.looping(uuid) is not None:
                del self.world.loops[uuid]
                await self._emit(change("AUDIO_STATE", uuid, device_uuid=uuid))
        return envelope(successMap=result)

    def _tts(self, body: Mapping[str, Any]) -> dict[str, Any]:
        text = string(body, "audioPlaintext")
        ssml = string(body, "audioSSML")
        name = string(body, "displayName")
        voice = string(body, "voiceId")
        description = string(body, "description")
        failed = dict.fromkeys(("synthesisFailure", "invalidSSML", "encodingFailure"))
        if self.world.tts_failures:
            failed[self.world.tts_failures.pop(0)] = True
            return envelope(uuid=None, **failed)
        spoken = text or ssml
        if not spoken or not spoken.strip():
            return in_band_error("audioPlaintext or audioSSML is required")
        words = len(spoken.split())
        if words > MAX_TTS_WORDS:
            return in_band_error(f"Text is limited to {MAX_TTS_WORDS} words")
        uuid = self.world.add_clip(
            name or spoken[:40],
            duration_ms=words * _MS_PER_WORD,
            text=text,
            voice_id=voice,
            description=description,
        )
        self.world.clips[uuid]["audioSSML"] = ssml
        return envelope(
            uuid=uuid, synthesisFailure=False, invalidSSML=False, encodingFailure=False
        )

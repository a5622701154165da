"""Clips, playback, loops and text-to-speech on audio gateways, over loopback."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    MAX_TTS_WORDS,
    AudioClip,
    RhombusApiError,
    RhombusAudioClient,
    RhombusAudioError,
    RhombusProtocolError,
    RhombusRefusedError,
    RhombusRestClient,
    SiteService,
    find_clip,
    find_tts_clip,
)
from simulator import RhombusSimulator

from .act_helpers import answer_with
from .helpers import KEY, ScriptedCloud

PLAY = "/api/audioplayback/playAudioUpload"
TTS = "/api/audioplayback/uploadAudioText"


@pytest.fixture
def gateways(sim: RhombusSimulator) -> list[str]:
    return [
        sim.add_site_device("audio_gateway", name, "GATEWAY_A100").uuid
        for name in ("Porch", "Yard")
    ]


@pytest.fixture
def audio(sim: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusAudioClient:
    return RhombusAudioClient(RhombusRestClient(http, KEY, sim.rest_url))


def _scripted(cloud: ScriptedCloud, http: aiohttp.ClientSession) -> RhombusAudioClient:
    return RhombusAudioClient(RhombusRestClient(http, KEY, cloud.url))


async def test_the_org_clips(sim: RhombusSimulator, audio: RhombusAudioClient) -> None:
    chime = sim.add_audio_clip("Chime", duration_ms=1500)
    assert await audio.get_clips() == {
        chime: AudioClip(chime, "Chime", None, 1500, None, None, True)
    }


async def test_play_a_clip_on_two_gateways(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    """One call; each gateway plays it; the body holds what was asked only."""
    warn = sim.add_audio_clip("You are being recorded")
    await audio.play_clip(gateways, warn, play_count=2)
    assert sim.calls(PLAY) == 1
    assert sim.requests[-1].body == {
        "audioGatewayUuids": gateways,
        "audioUploadUuid": warn,
        "playCount": 2,
    }
    assert [(p.gateway_uuid, p.play_count) for p in sim.audio_plays] == [
        (gateways[0], 2),
        (gateways[1], 2),
    ]
    assert sim.looping(gateways[0]) is None


async def test_a_loop_plays_until_cancelled(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    siren = sim.add_audio_clip("Siren")
    await audio.play_clip(gateways[0], siren, loop_seconds=60)
    assert sim.looping(gateways[0]) == siren
    assert await audio.cancel_looping([gateways[0]]) == {gateways[0]: True}
    assert sim.looping(gateways[0]) is None


async def test_a_loop_ends_by_itself(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    siren = sim.add_audio_clip("Siren")
    await audio.play_clip(gateways, siren, loop_seconds=1)
    sim.audio.loops[gateways[0]] = (siren, 0.0)  # its time is up
    assert sim.looping(gateways[0]) is None
    assert sim.looping(gateways[1]) == siren


async def test_an_unknown_clip_or_gateway_is_an_api_error(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    clip = sim.add_audio_clip("Chime")
    with pytest.raises(RhombusApiError, match="clip not found"):
        await audio.play_clip(gateways, "nope")
    with pytest.raises(RhombusApiError, match="gateway not found"):
        await audio.play_clip(["nope"], clip)
    assert sim.audio_plays == []


async def test_an_unconfirmed_play_is_an_error(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    clip = sim.add_audio_clip("Chime")
    sim.fail_audio_play()
    with pytest.raises(RhombusAudioError) as caught:
        await audio.play_clip(gateways, clip)
    assert caught.value.reason == "not_confirmed"


@pytest.mark.parametrize(
    "kwargs", [{"play_count": 0}, {"loop_seconds": -1}, {"play_count": True}]
)
async def test_bad_counts_are_never_sent(
    sim: RhombusSimulator,
    gateways: list[str],
    audio: RhombusAudioClient,
    kwargs: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="whole number"):
        await audio.play_clip(gateways, "clip", **kwargs)
    with pytest.raises(ValueError, match="gateway"):
        await audio.play_clip([], "clip")
    assert sim.calls(PLAY) == 0


async def test_text_to_speech_makes_a_clip_that_plays(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    uuid = await audio.create_tts_clip(
        "Please leave the package by the door.",
        name="HA: package",
        voice_id="en-US-Neural2-F",
        description="created by Home Assistant",
    )
    assert sim.requests[-1].body == {
        "audioPlaintext": "Please leave the package by the door.",
        "displayName": "HA: package",
        "voiceId": "en-US-Neural2-F",
        "description": "created by Home Assistant",
    }
    clip = (await audio.get_clips())[uuid]
    assert clip.name == "HA: package"
    assert clip.text == "Please leave the package by the door."
    assert clip.voice_id == "en-US-Neural2-F"
    await audio.play_clip(gateways[:1], uuid)
    assert sim.audio_plays[-1].clip_uuid == uuid


@pytest.mark.parametrize("flag", ["synthesisFailure", "invalidSSML", "encodingFailure"])
async def test_a_failed_synthesis_names_why(
    sim: RhombusSimulator, audio: RhombusAudioClient, flag: str
) -> None:
    sim.fail_tts(flag)
    with pytest.raises(RhombusAudioError) as caught:
        await audio.create_tts_clip("Hello", name="x")
    assert caught.value.reason == flag
    assert sim.audio.clips == {}


async def test_too_many_words_are_never_sent(
    sim: RhombusSimulator, audio: RhombusAudioClient
) -> None:
    with pytest.raises(ValueError, match="50 words"):
        await audio.create_tts_clip("word " * (MAX_TTS_WORDS + 1), name="x")
    with pytest.raises(ValueError, match="empty"):
        await audio.create_tts_clip("  ", name="x")
    assert sim.calls(TTS) == 0


async def test_a_role_without_audio_is_refused(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    sim.refuse_service("audio")
    with pytest.raises(RhombusRefusedError) as caught:
        await audio.get_clips()
    assert caught.value.service is SiteService.AUDIO
    with pytest.raises(RhombusRefusedError):
        await audio.play_clip(gateways, "clip")


@pytest.mark.parametrize(
    "body",
    [
        {"error": None, "errorMsg": None, "audioUploadMetadata": None},
        {"audioUploadMetadata": {}},
    ],
)
async def test_a_clip_list_without_its_list_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    answer_with(cloud, body)
    with pytest.raises(RhombusProtocolError):
        await _scripted(cloud, http).get_clips()


async def test_null_clips_and_answers(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Every field null: clips without ids dropped, the rest read as unknown."""
    null_clip = dict.fromkeys(("uuid", "displayName", "durationMs", "mutable"))
    answer_with(
        cloud,
        {
            "audioUploadMetadata": [
                null_clip,
                {**null_clip, "uuid": "c", "durationMs": -4, "mutable": "yes"},
                7,
            ]
        },
    )
    client = _scripted(cloud, http)
    assert await client.get_clips() == {"c": AudioClip("c", None)}
    answer_with(cloud, {"successMap": None, "success": None, "uuid": None})
    assert await client.cancel_looping(["g"]) == {}
    with pytest.raises(RhombusAudioError, match="not confirmed"):
        await client.play_clip(["g"], "c")
    with pytest.raises(RhombusAudioError) as caught:
        await client.create_tts_clip("Hi", name="x")
    assert caught.value.reason == "no_uuid"
    answer_with(cloud, {"successMap": {"g": True, "h": "yes", "": False}})
    assert await client.cancel_looping(["g", "h"]) == {"g": True}


async def test_a_facet_uuid_is_accepted_by_the_simulator(
    sim: RhombusSimulator, gateways: list[str], audio: RhombusAudioClient
) -> None:
    """``DeviceFacetUuid``: the client sends bare uuids, a facet also plays."""
    clip = sim.add_audio_clip("Chime")
    await audio.play_clip([f"{gateways[0]}.v0"], clip)
    assert sim.audio_plays[-1].gateway_uuid == gateways[0]


async def test_find_a_clip_by_uuid_or_name_and_reuse_a_tts_clip(
    sim: RhombusSimulator, audio: RhombusAudioClient
) -> None:
    """One TTS clip per text and voice: found again instead of made twice."""
    chime = sim.add_audio_clip("Door Chime")
    said = await audio.create_tts_clip("Hello", name="HA: hello", voice_id="v1")
    clips = await audio.get_clips()
    assert find_clip(clips, chime) == clips[chime]
    assert find_clip(clips, "  door chime ") == clips[chime]
    assert find_clip(clips, "Siren") is None
    found = find_tts_clip(clips, "Hello", "v1")
    assert found is not None
    assert found.uuid == said
    assert find_tts_clip(clips, "Hello", "v2") is None
    # No voice asked for: Rhombus's default, which the list may name as any.
    assert find_tts_clip(clips, "Hello") == found
    plain = await audio.create_tts_clip("Hello", name="HA: hello")
    clips = await audio.get_clips()
    assert find_tts_clip(clips, "Hello") == clips[plain]
    assert find_tts_clip(clips, "Hello", "v1") == found

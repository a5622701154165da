"""Action rhombus.play_audio: a clip or a spoken message on audio gateways."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
import pytest
from pytest_homeassistant_custom_component.common import MockUser

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator
from simulator.audio import SimPlay

from .helpers import device_for, entry_for, setup_entry, wait_until
from .site_helpers import site_entity, site_uuid

TTS = "/api/audioplayback/uploadAudioText"
PLAY = "/api/audioplayback/playAudioUpload"
GATEWAY = "Hallway Audio"
MESSAGE = "You are being recorded. Please leave the premises."


async def play(
    hass: HomeAssistant, context: Context | None = None, **data: object
) -> None:
    await hass.services.async_call(
        DOMAIN, "play_audio", data, blocking=True, context=context
    )


def attribute(hass: HomeAssistant, entity_id: str, name: str) -> Any:
    state = hass.states.get(entity_id)
    return state.attributes.get(name) if state else None


async def test_a_message_makes_one_clip_for_repeated_calls(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The first call makes the spoken clip; the next ones play the same clip."""
    sim = site_simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    entry = await setup_entry(hass, sim, entry_for(sim))
    gateway = site_uuid(sim, GATEWAY)
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    admin = Context(user_id=hass_admin_user.id)
    for _ in range(3):
        await play(hass, admin, entity_id=siren, message=MESSAGE, voice="Joanna")
    assert sim.calls(TTS) == 1
    assert len(sim.audio.clips) == 1
    clip = next(iter(sim.audio.clips.values()))
    assert clip["audioPlaintext"] == MESSAGE
    assert clip["voiceId"] == "Joanna"
    assert sim.audio_plays == [SimPlay(gateway, clip["uuid"], None, None)] * 3
    # Another voice is another clip; no voice (Rhombus's default) takes either.
    await play(hass, admin, entity_id=siren, message=MESSAGE, voice="Matthew")
    assert sim.calls(TTS) == 2
    await play(hass, admin, entity_id=siren, message=MESSAGE)
    assert sim.calls(TTS) == 2
    played = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("Playing")
    ]
    assert len(played) == 5
    assert played[0].endswith(
        f"on {GATEWAY} (1 time(s)), asked by user {hass_admin_user.name}"
    )
    # The spoken clips are play_audio's own: not offered as the siren's tones.
    sim.add_audio_clip("Closing Time")
    await entry.runtime_data.audio.async_refresh()
    await wait_until(
        hass, lambda: "Closing Time" in attribute(hass, siren, "available_tones")
    )
    assert attribute(hass, siren, "available_tones") == ["Closing Time"]


async def test_a_clip_by_name_or_uuid_on_a_gateway_device(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """A gateway named by its device; the clip by uuid or (any case) by name."""
    sim = site_simulator
    clip = sim.add_audio_clip("Closing Time")
    await setup_entry(hass, sim, entry_for(sim))
    gateway = site_uuid(sim, GATEWAY)
    device = device_for(hass, gateway)
    assert device is not None
    await play(hass, device_id=device.id, clip=clip, play_count=2)
    await play(hass, device_id=[device.id], clip="closing time")
    assert sim.audio_plays == [
        SimPlay(gateway, clip, 2, None),
        SimPlay(gateway, clip, None, None),
    ]


async def test_an_unknown_clip_is_a_translated_error_naming_the_choices(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    sim.add_audio_clip("Chime")
    sim.add_audio_clip("You are being recorded")
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    with pytest.raises(ServiceValidationError) as raised:
        await play(hass, entity_id=siren, clip="Go away")
    assert raised.value.translation_key == "audio_unknown_clip"
    assert str(raised.value) == (
        'There is no audio clip "Go away" in Rhombus. Choose one of: Chime, You are'
        " being recorded"
    )
    assert sim.calls(PLAY) == 0


async def test_a_target_that_is_no_gateway_is_refused(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    camera = device_for(hass, next(iter(sim.cameras)))
    assert camera is not None
    with pytest.raises(ServiceValidationError) as raised:
        await play(hass, device_id=camera.id, clip="Chime")
    assert raised.value.translation_key == "audio_unknown_gateway"
    assert sim.calls(PLAY) == 0


async def test_a_non_admin_cannot_play_audio(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_read_only_user: MockUser,
) -> None:
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    with pytest.raises(Unauthorized):
        await play(
            hass,
            Context(user_id=hass_read_only_user.id),
            entity_id=siren,
            clip="Chime",
        )
    assert sim.calls(PLAY) == 0


async def test_a_failed_spoken_clip_is_a_translated_error_and_is_not_kept(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Rhombus could not speak it: no clip, no play; the next call tries again."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    sim.fail_tts("synthesisFailure")
    with pytest.raises(HomeAssistantError) as raised:
        await play(hass, entity_id=siren, message=MESSAGE)
    assert raised.value.translation_key == "audio_tts_failed"
    assert sim.calls(PLAY) == 0
    await play(hass, entity_id=siren, message=MESSAGE)
    assert sim.calls(TTS) == 2
    assert sim.calls(PLAY) == 1


async def test_a_message_over_fifty_words_is_refused_before_any_call(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    with pytest.raises(ServiceValidationError) as raised:
        await play(hass, entity_id=siren, message="word " * 51)
    assert raised.value.translation_key == "audio_message_too_long"
    assert sim.calls(TTS) == 0


async def test_a_play_rhombus_fails_is_not_repeated(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """A 500 on the play: a translated error, one call (it may have played)."""
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    sim.fail_rest(PLAY, status=500)
    with pytest.raises(HomeAssistantError) as raised:
        await play(hass, entity_id=siren, clip="Chime")
    assert raised.value.translation_key == "audio_play_failed"
    assert sim.calls(PLAY) == 1
    assert sim.audio_plays == []


async def test_a_spoken_clip_made_before_is_reused_after_a_restart(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """The clip list says which text and voice a clip speaks: no second clip."""
    sim = site_simulator
    made = sim.audio.add_clip("Home Assistant: earlier", text=MESSAGE)
    await setup_entry(hass, sim, entry_for(sim))
    siren = site_entity(hass, sim, "siren", GATEWAY, "siren")
    await play(hass, entity_id=siren, message=MESSAGE)
    assert sim.calls(TTS) == 0
    assert [play.clip_uuid for play in sim.audio_plays] == [made]

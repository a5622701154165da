"""Talk-down: a siren per audio gateway, the org's clips as its tones."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockUser
from syrupy.assertion import SnapshotAssertion

from simulator import RhombusSimulator
from simulator.audio import SimPlay

from .helpers import (
    advance,
    entry_for,
    setup_entry,
    snapshot_platform_entities,
    state_of,
    wait_until,
)
from .site_helpers import site_entity, site_uuid

CLIPS = "/api/audioplayback/getAudioUploadMetadataForOrg"
PLAY = "/api/audioplayback/playAudioUpload"
CANCEL = "/api/audioplayback/cancelLoopingAudioPlayback"
GATEWAY = "Hallway Audio"


def siren_of(hass: HomeAssistant, sim: RhombusSimulator) -> str:
    return site_entity(hass, sim, "siren", GATEWAY, "siren")


async def siren(
    hass: HomeAssistant,
    service: str,
    entity_id: str,
    context: Context | None = None,
    **data: object,
) -> None:
    await hass.services.async_call(
        "siren",
        service,
        {"entity_id": entity_id, **data},
        blocking=True,
        context=context,
    )


def audio_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components")
        and ("audio" in r.getMessage() or "Playing" in r.getMessage())
    ]


async def test_entities(
    hass: HomeAssistant, site_simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """One siren per gateway; its tones are the clips' names, sorted."""
    site_simulator.add_audio_clip("You are being recorded")
    site_simulator.add_audio_clip("Chime", duration_ms=1500)
    await snapshot_platform_entities(hass, site_simulator, Platform.SIREN, snapshot)


async def test_the_siren_plays_a_chosen_clip_and_stops_a_loop(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """turn_on with a duration loops the clip there; turn_off cancels the loop."""
    sim = site_simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    recorded = sim.add_audio_clip("You are being recorded")
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    gateway = site_uuid(sim, GATEWAY)
    entity_id = siren_of(hass, sim)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "off"
    assert state.attributes["available_tones"] == ["Chime", "You are being recorded"]

    admin = Context(user_id=hass_admin_user.id)
    await siren(
        hass, "turn_on", entity_id, admin, tone="You are being recorded", duration=120
    )
    assert sim.audio_plays == [SimPlay(gateway, recorded, None, 120)]
    assert sim.looping(gateway) == recorded
    assert state_of(hass, entity_id) == "on"
    assert audio_log(caplog) == [
        (
            f"Playing audio clip You are being recorded on {GATEWAY} (looped for"
            f" 120 s), asked by user {hass_admin_user.name}"
        )
    ]

    await siren(hass, "turn_off", entity_id, admin)
    assert sim.looping(gateway) is None
    assert sim.calls(CANCEL) == 1
    assert state_of(hass, entity_id) == "off"
    assert audio_log(caplog)[-1] == (
        f"Stopping audio on {GATEWAY}, asked by user {hass_admin_user.name}"
    )


async def test_a_single_play_shows_on_for_the_clip_and_repeats_the_last_tone(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """No duration: played once, on for the clip's length; no tone: the last one."""
    sim = site_simulator
    chime = sim.add_audio_clip("Chime", duration_ms=4000)
    other = sim.add_audio_clip("Other")
    await setup_entry(hass, sim, entry_for(sim))
    gateway = site_uuid(sim, GATEWAY)
    entity_id = siren_of(hass, sim)
    with pytest.raises(ServiceValidationError) as raised:
        await siren(hass, "turn_on", entity_id)
    assert raised.value.translation_key == "audio_tone_required"
    assert "Chime, Other" in str(raised.value)
    assert sim.calls(PLAY) == 0

    await siren(hass, "turn_on", entity_id, tone="Chime")
    assert state_of(hass, entity_id) == "on"
    await advance(hass, freezer, 5)
    assert state_of(hass, entity_id) == "off"
    await siren(hass, "turn_on", entity_id)
    assert sim.audio_plays == [
        SimPlay(gateway, chime, None, None),
        SimPlay(gateway, chime, None, None),
    ]
    assert other not in {play.clip_uuid for play in sim.audio_plays}


async def test_tones_follow_the_clip_list_once_a_minute(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A clip uploaded in the console is a tone at the next minute's read."""
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    assert sim.calls(CLIPS) == 1
    sim.add_audio_clip("Closing time")

    def tones() -> list[str]:
        state = hass.states.get(entity_id)
        return state.attributes["available_tones"] if state else []

    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: tones() == ["Chime", "Closing time"])
    assert sim.calls(CLIPS) == 2


async def test_a_failed_play_is_a_translated_error(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    sim.fail_audio_play()
    with pytest.raises(HomeAssistantError) as raised:
        await siren(hass, "turn_on", entity_id, tone="Chime", duration=10)
    assert raised.value.translation_key == "audio_play_failed"
    assert state_of(hass, entity_id) == "off"


async def test_no_clips_without_gateways(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """An org without audio gateways reads no clips at all."""
    await setup_entry(hass, simulator, entry_for(simulator))
    assert simulator.calls(CLIPS) == 0


async def test_a_role_without_audio_is_said_once_and_gets_no_siren(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused clip list: one log line, no siren, the entry loads."""
    sim = site_simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    sim.refuse_service("audio")
    entry = await setup_entry(hass, sim, entry_for(sim))
    assert entry.state is ConfigEntryState.LOADED
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert [e for e in entities if e.domain == "siren"] == []
    assert caplog.text.count("may not use audio") == 1


async def test_a_failed_stop_is_a_translated_error(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    await siren(hass, "turn_on", entity_id, tone="Chime", duration=60)
    sim.fail_rest(CANCEL, status=500)
    with pytest.raises(HomeAssistantError) as raised:
        await siren(hass, "turn_off", entity_id)
    assert raised.value.translation_key == "audio_stop_failed"
    assert sim.looping(site_uuid(sim, GATEWAY)) is not None


async def test_a_stop_a_gateway_does_not_confirm_is_an_error(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``successMap`` false for the gateway: the user hears of it."""
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    await siren(hass, "turn_on", entity_id, tone="Chime", duration=60)
    sim.remove_site_device(site_uuid(sim, GATEWAY))  # Rhombus no longer knows it
    with pytest.raises(HomeAssistantError) as raised:
        await siren(hass, "turn_off", entity_id)
    assert raised.value.translation_key == "audio_stop_refused"
    assert str(raised.value) == f"Rhombus did not stop the audio on {GATEWAY}"
    assert sim.calls(CANCEL) == 1
    assert f"Rhombus did not stop the audio on {GATEWAY}" in caplog.text


async def test_a_clip_list_that_fails_keeps_the_tones(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A failed read: the siren keeps its tones and plays; the next read is fine."""
    sim = site_simulator
    sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    sim.fail_rest(CLIPS, status=500)
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: sim.calls(CLIPS) == 2)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.attributes["available_tones"] == ["Chime"]
    await siren(hass, "turn_on", entity_id, tone="Chime")
    assert sim.calls(PLAY) == 1


async def test_a_duration_rhombus_cannot_take_is_a_translated_error(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Past a 32-bit count of seconds: refused before any call; 0 plays once."""
    sim = site_simulator
    chime = sim.add_audio_clip("Chime")
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    with pytest.raises(ServiceValidationError) as raised:
        await siren(hass, "turn_on", entity_id, tone="Chime", duration=2**31)
    assert raised.value.translation_key == "audio_bad_request"
    assert sim.calls(PLAY) == 0
    await siren(hass, "turn_on", entity_id, tone="Chime", duration=0)
    assert sim.audio_plays == [SimPlay(site_uuid(sim, GATEWAY), chime, None, None)]


async def test_a_user_who_is_not_an_admin_cannot_play_a_clip(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    not_admin: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Talk-down is for admins: refused, nothing played, the refusal logged.

    The user may control entities (Home Assistant's "users" group), so the
    refusal is the integration's, not Home Assistant's entity permissions.
    """
    sim = site_simulator
    sim.add_audio_clip("Chime")
    user = not_admin
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = siren_of(hass, sim)
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    with pytest.raises(Unauthorized):
        await siren(hass, "turn_on", entity_id, Context(user_id=user.id), tone="Chime")
    assert sim.calls(PLAY) == 0
    assert sim.audio_plays == []
    assert state_of(hass, entity_id) == "off"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "Refused to play audio for user Bob: not an administrator" in warnings

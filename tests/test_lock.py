"""The door lock: open is the momentary unlock, with the door code when one is set."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import ATTR_CODE_FORMAT, LockEntityFeature
from homeassistant.const import ATTR_SUPPORTED_FEATURES, Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.rhombus.const import DOMAIN, EVENT_DOOR_BAD_CODE
from simulator import RhombusSimulator

from .helpers import (
    advance,
    device_for,
    entry_for,
    setup_entry,
    snapshot_platform_entities,
    state_of,
    wait_until,
)
from .site_helpers import site_entity, site_uuid

UNLOCK = "/api/accesscontrol/unlockAccessControlledDoor"
CODE = "7391-Qz"  # distinctive: searched for wherever it must not appear


async def call(
    hass: HomeAssistant,
    service: str,
    entity_id: str,
    context: Context | None = None,
    **data: str,
) -> None:
    await hass.services.async_call(
        "lock",
        service,
        {"entity_id": entity_id, **data},
        blocking=True,
        context=context,
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, site_simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """One lock per remotely unlockable door, named after it, locked."""
    await snapshot_platform_entities(hass, site_simulator, Platform.LOCK, snapshot)


async def test_open_unlocks_once_and_names_who_asked(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One open, one unlock call; the state follows the relay until Rhombus relocks."""
    sim = site_simulator
    sim.unlock_hold_seconds = 3.0  # past the refresh the unlock asks for
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    await setup_entry(hass, sim, entry_for(sim))
    door = site_uuid(sim, "Main Entrance")
    lock = site_entity(hass, sim, "lock", "Main Entrance", "lock")
    state = hass.states.get(lock)
    assert state is not None
    assert state.state == "locked"
    assert state.attributes[ATTR_SUPPORTED_FEATURES] == LockEntityFeature.OPEN
    assert ATTR_CODE_FORMAT not in state.attributes

    await call(hass, "open", lock, Context(user_id=hass_admin_user.id))
    assert sim.unlocked_doors == [door]
    assert sim.calls(UNLOCK) == 1
    warnings = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("custom_components")
    ]
    assert [r.getMessage() for r in warnings] == [
        f"Unlocking Main Entrance, asked by user {hass_admin_user.name}"
    ]
    await wait_until(hass, lambda: state_of(hass, lock) == "unlocked")
    await wait_until(hass, lambda: state_of(hass, lock) == "locked")
    assert sim.calls(UNLOCK) == 1


async def test_unlock_is_the_same_momentary_unlock(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Voice assistants and the lock card call unlock: it opens once, too."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    lock = site_entity(hass, sim, "lock", "Side Door", "lock")
    await call(hass, "unlock", lock)
    assert sim.unlocked_doors == [site_uuid(sim, "Side Door")]


async def test_lock_is_refused_with_a_translated_error(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    lock = site_entity(hass, sim, "lock", "Main Entrance", "lock")
    calls = len(sim.requests)
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "lock", lock)
    assert raised.value.translation_key == "door_lock_not_supported"
    assert str(raised.value) == (
        "Main Entrance cannot be locked from Home Assistant: Rhombus relocks it"
        " by itself after its unlock time"
    )
    assert len(sim.requests) == calls


@pytest.mark.parametrize("remote_unlock", [False, None], ids=["off", "unknown"])
async def test_a_door_without_remote_unlock_has_no_lock(
    hass: HomeAssistant, site_simulator: RhombusSimulator, remote_unlock: bool | None
) -> None:
    """Disabled, or not said (null): no lock and no Unlock button."""
    sim = site_simulator
    vault = sim.add_access_door("Vault", remote_unlock=remote_unlock)
    await setup_entry(hass, sim, entry_for(sim))
    assert device_for(hass, vault.uuid) is not None
    registry = er.async_get(hass)
    for domain, key in (("lock", "lock"), ("button", "unlock")):
        unique_id = f"{vault.uuid}_{key}"
        assert registry.async_get_entity_id(domain, DOMAIN, unique_id) is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (None, "Could not unlock Side Door: FAILED_SENDING_ACU_UNLOCK_REQUEST"),
        (403, "Could not unlock Side Door: access_control: "),
        (500, "Could not unlock Side Door: "),
    ],
)
async def test_a_failed_unlock_is_a_translated_error_and_not_retried(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    status: int | None,
    message: str,
) -> None:
    """Refused in the answer, by a 403 or a 500: one call, an error, no change."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    lock = site_entity(hass, sim, "lock", "Side Door", "lock")
    if status is None:
        sim.fail_unlock()
    else:
        sim.fail_rest(UNLOCK, status=status)
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, "open", lock)
    assert raised.value.translation_key == "unlock_failed"
    assert str(raised.value).startswith(message)
    assert sim.calls(UNLOCK) == 1
    assert sim.unlocked_doors == []
    await hass.async_block_till_done()
    assert state_of(hass, lock) == "locked"


async def test_the_door_code_is_asked_and_checked(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No code or a wrong one: refused before any call, logged, fired; never shown."""
    sim = site_simulator
    caplog.set_level(logging.DEBUG)
    entry = await setup_entry(hass, sim, entry_for(sim, door_code=CODE))
    door = site_uuid(sim, "Main Entrance")
    lock = site_entity(hass, sim, "lock", "Main Entrance", "lock")
    state = hass.states.get(lock)
    assert state is not None
    assert state.attributes[ATTR_CODE_FORMAT] == r"^.*$"
    bad = async_capture_events(hass, EVENT_DOOR_BAD_CODE)
    user = Context(user_id=hass_admin_user.id)

    for service, code, key in [
        ("open", None, "door_code_missing"),
        ("open", "0000", "door_code_wrong"),
        ("unlock", CODE.lower(), "door_code_wrong"),
    ]:
        extra = {} if code is None else {"code": code}
        with pytest.raises(ServiceValidationError) as raised:
            await call(hass, service, lock, user, **extra)
        assert raised.value.translation_key == key
    assert sim.calls(UNLOCK) == 0
    assert str(raised.value) == "Wrong door code for Main Entrance"
    device = device_for(hass, door)
    assert device is not None
    assert [e.data for e in bad] == 3 * [
        {
            "entity_id": lock,
            "door": "Main Entrance",
            "device_id": device.id,
            "who": f"user {hass_admin_user.name}",
        }
    ]
    assert bad[0].context.user_id == hass_admin_user.id
    assert (
        f"Refused to unlock Main Entrance for user {hass_admin_user.name}:"
        " no door code" in caplog.text
    )
    assert "a wrong door code" in caplog.text

    await call(hass, "open", lock, user, code=CODE)
    assert sim.unlocked_doors == [door]
    assert f"Unlocking Main Entrance, asked by user {hass_admin_user.name}" in (
        caplog.text
    )

    # The code is nowhere: logs, states, events, diagnostics.
    assert CODE not in caplog.text
    assert all(CODE not in str(s.as_dict()) for s in hass.states.async_all())
    assert all(CODE not in str(e.data) for e in bad)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert CODE not in str(diagnostics)
    assert diagnostics["entry"]["options"]["door_code"] == "**REDACTED**"
    device_diagnostics = await get_diagnostics_for_device(
        hass, hass_client, entry, device
    )
    assert CODE not in str(device_diagnostics)


async def test_an_automation_opening_the_door_is_named(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim, door_code=CODE))
    lock = site_entity(hass, sim, "lock", "Main Entrance", "lock")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": "Cleaners arrive",
                    "trigger": {"platform": "event", "event_type": "cleaners"},
                    "action": {
                        "action": "lock.open",
                        "target": {"entity_id": lock},
                        "data": {"code": CODE},
                    },
                },
                {
                    "alias": "Guess the code",
                    "trigger": {"platform": "event", "event_type": "guess"},
                    "action": {
                        "action": "lock.open",
                        "target": {"entity_id": lock},
                        "data": {"code": "1234"},
                    },
                },
            ]
        },
    )
    bad = async_capture_events(hass, EVENT_DOOR_BAD_CODE)
    hass.bus.async_fire("cleaners")
    await wait_until(hass, lambda: sim.unlocked_doors != [])
    assert "Unlocking Main Entrance, asked by automation Cleaners arrive" in (
        caplog.text
    )
    hass.bus.async_fire("guess")
    await wait_until(hass, lambda: bad != [])
    assert bad[0].data["who"] == "automation Guess the code"
    assert sim.calls(UNLOCK) == 1
    assert CODE not in caplog.text


async def test_guessing_the_door_code_is_slowed_down(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
) -> None:
    """Five wrong codes on any door: every door refuses even the right code a minute."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim, door_code=CODE))
    main = site_entity(hass, sim, "lock", "Main Entrance", "lock")
    side = site_entity(hass, sim, "lock", "Side Door", "lock")
    user = Context(user_id=hass_admin_user.id)
    for lock in (main, side, main, side, main):
        with pytest.raises(ServiceValidationError):
            await call(hass, "open", lock, user, code="0000")
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "open", side, user, code=CODE)
    assert raised.value.translation_key == "door_code_locked_out"
    assert str(raised.value) == (
        "Too many wrong door codes: Side Door opens with its code again in 60 seconds"
    )
    assert sim.calls(UNLOCK) == 0

    await advance(hass, freezer, 61)
    await call(hass, "open", side, user, code=CODE)
    assert sim.calls(UNLOCK) == 1
    # The right code started the count again: one wrong code is only wrong.
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "open", main, user, code="1111")
    assert raised.value.translation_key == "door_code_wrong"

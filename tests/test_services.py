"""The rhombus.dismiss_alert action: success, entry resolution and each error."""

from __future__ import annotations

import logging

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
import voluptuous as vol

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import entry_for, sensor_id, setup_entry, state_of, wait_until

DISMISS = "/api/event/dismissPolicyAlertV2"


async def dismiss(hass: HomeAssistant, **data: str) -> None:
    await hass.services.async_call(DOMAIN, "dismiss_alert", data, blocking=True)


async def test_dismiss_turns_the_sensor_off(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    alert = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")

    await dismiss(hass, alert_uuid=alert)  # one account: inferred
    assert simulator.dismissed == [alert]
    assert simulator.requests[-1].body == {"alertUuid": alert}
    # Rhombus reports the dismissal on the stream as a DELETE.
    await wait_until(hass, lambda: state_of(hass, person) == "off")


async def test_several_accounts_need_the_entry(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    async with RhombusSimulator(
        cameras=1, seed=99, heartbeat_ms=0, org_name="Branch"
    ) as branch:
        second = await setup_entry(hass, branch, entry_for(branch))
        alert = await branch.emit_alert(next(iter(branch.cameras)))
        with pytest.raises(ServiceValidationError) as info:
            await dismiss(hass, alert_uuid=alert)
        assert info.value.translation_key == "entry_required"
        assert "config_entry_id" in str(info.value)
        assert branch.dismissed == []

        await dismiss(hass, alert_uuid=alert, config_entry_id=second.entry_id)
        assert branch.dismissed == [alert]
        assert simulator.dismissed == []
        assert await hass.config_entries.async_unload(second.entry_id)


async def test_unknown_or_foreign_entry(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    foreign = MockConfigEntry(domain="other_domain")
    foreign.add_to_hass(hass)
    for entry_id in ("nope", foreign.entry_id):
        with pytest.raises(ServiceValidationError) as info:
            await dismiss(hass, alert_uuid="A", config_entry_id=entry_id)
        assert info.value.translation_key == "entry_not_found"
        assert entry_id in str(info.value)


async def test_entry_not_loaded_or_none_at_all(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "dismiss_alert")  # even with no entry
    with pytest.raises(ServiceValidationError) as info:
        await dismiss(hass, alert_uuid="A")
    assert info.value.translation_key == "no_entries"

    entry = entry_for(simulator)
    entry.add_to_hass(hass)  # added, never set up
    with pytest.raises(ServiceValidationError) as info:
        await dismiss(hass, alert_uuid="A")
    assert info.value.translation_key == "entry_not_loaded"
    assert "Acme HQ" in str(info.value)
    with pytest.raises(ServiceValidationError, match="Acme HQ"):
        await dismiss(hass, alert_uuid="A", config_entry_id=entry.entry_id)


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ({"status": 401}, "dismiss_auth_failed"),
        ({"status": 403}, "dismiss_auth_failed"),
        ({"status": None, "error_body": "Unauthenticated"}, "dismiss_auth_failed"),
        ({"status": 500}, "dismiss_cannot_connect"),
        ({"status": 429}, "dismiss_cannot_connect"),
        ({"status": None, "error_body": "Policy alert not found"}, None),
    ],
)
async def test_failures_are_translated(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    fault: dict[str, object],
    key: str | None,
) -> None:
    simulator.fail_rest(DISMISS, **fault)  # type: ignore[arg-type]
    with pytest.raises(HomeAssistantError) as info:
        await dismiss(hass, alert_uuid="ALERT-1")
    assert info.value.translation_key == (key or "dismiss_unknown_alert")
    assert "ALERT-1" in str(info.value)
    assert "sim-api-key" not in str(info.value)
    assert not isinstance(info.value, ServiceValidationError)


async def test_unknown_alert(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as info:
        await dismiss(hass, alert_uuid="never-seen")
    assert info.value.translation_key == "dismiss_unknown_alert"
    assert "Policy alert not found" in str(info.value)


async def test_unreachable_and_bad_call(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    simulator.fail_rest(DISMISS, status=None, error_body=None, timeout=False)
    await simulator.stop()
    with pytest.raises(HomeAssistantError) as info:
        await dismiss(hass, alert_uuid="A")
    assert info.value.translation_key == "dismiss_cannot_connect"
    with pytest.raises(vol.Invalid):
        await dismiss(hass)


async def test_dismiss_is_for_administrators(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A non-admin is refused before any call; an admin's call is logged by name."""
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    alert = await simulator.emit_alert(next(iter(simulator.cameras)))
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "dismiss_alert",
            {"alert_uuid": alert},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert simulator.calls(DISMISS) == 0
    assert (
        f"Refused to call rhombus.dismiss_alert for user {hass_read_only_user.name}:"
        " not an administrator" in caplog.text
    )

    await hass.services.async_call(
        DOMAIN,
        "dismiss_alert",
        {"alert_uuid": alert},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert simulator.dismissed == [alert]
    assert f"rhombus.dismiss_alert called by user {hass_admin_user.name}" in (
        caplog.text
    )


async def test_an_unknown_user_is_refused(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(UnknownUser):
        await hass.services.async_call(
            DOMAIN,
            "dismiss_alert",
            {"alert_uuid": "A"},
            blocking=True,
            context=Context(user_id="gone"),
        )
    assert simulator.calls(DISMISS) == 0


async def test_an_automation_may_dismiss(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Automations run without a user, as with Home Assistant's admin actions."""
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    alert = await simulator.emit_alert(next(iter(simulator.cameras)))
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Tidy alerts",
                "trigger": {"platform": "event", "event_type": "tidy"},
                "action": {
                    "action": "rhombus.dismiss_alert",
                    "data": {"alert_uuid": alert},
                },
            }
        },
    )
    hass.bus.async_fire("tidy")
    await wait_until(hass, lambda: simulator.dismissed == [alert])
    assert "rhombus.dismiss_alert called by automation Tidy alerts" in caplog.text

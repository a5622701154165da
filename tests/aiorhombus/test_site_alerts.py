"""Routing a policy alert to its site device and event type."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.rhombus.aiorhombus import (
    ACCESS_EVENT_TYPES,
    AUDIO_SOUNDS,
    SiteAlertTarget,
    SiteKind,
    alert_target,
    event_type,
    event_types,
)


@pytest.mark.parametrize(
    ("alert", "target"),
    [
        (
            {"type": "POLICY_ALERT_V2", "deviceUuid": "d", "deviceType": "DOOR_SENSOR"},
            SiteAlertTarget("d", SiteKind.DOOR_SENSOR),
        ),
        (
            {"deviceUuid": "e", "deviceType": "ENVIRONMENTAL_GATEWAY"},
            SiteAlertTarget("e", SiteKind.ENVIRONMENTAL_GATEWAY),
        ),
        (
            {
                "type": "ACCESS_CONTROLLED_DOOR_POLICY_ALERT",
                "accessControlledDoorUuid": "x",
            },
            SiteAlertTarget("x", SiteKind.ACCESS_CONTROL),
        ),
        ({"type": "ACCESS_CONTROLLED_DOOR_POLICY_ALERT", "deviceUuid": "x"}, None),
        ({"deviceUuid": "c", "deviceType": "CAMERA"}, None),
        ({"deviceUuid": "c"}, None),
        ({"deviceUuid": 5, "deviceType": "BLE_BUTTON"}, None),
        ({}, None),
    ],
)
def test_alert_target(alert: dict[str, Any], target: SiteAlertTarget | None) -> None:
    assert alert_target(alert) == target


@pytest.mark.parametrize(
    ("kind", "trigger", "expected"),
    [
        (SiteKind.BUTTON, "BUTTON_SINGLE_PRESSED", "single"),
        (SiteKind.BUTTON, "BUTTON_LONG_PRESSED", "long"),
        (SiteKind.BUTTON, "BUTTON_TRIPLE_PRESSED", None),
        (SiteKind.AUDIO_GATEWAY, "AUDIO_SOUND_GLASS_BREAK", "glass_break"),
        (SiteKind.AUDIO_GATEWAY, "AUDIO_SOUND_NEW_THING", None),
        (SiteKind.ACCESS_CONTROL, "AC_BADGE_AUTHORIZED", "badge_authorized"),
        (SiteKind.ACCESS_CONTROL, "BADGE_UNAUTHORIZED_V2", "badge_unauthorized"),
        (SiteKind.ACCESS_CONTROL, "AC_DPI_DOOR_OPEN", None),
        (SiteKind.CLIMATE_SENSOR, "CLIMATE_VAPE", "vape"),
        (SiteKind.ENVIRONMENTAL_GATEWAY, "AQI_EXCEEDED_HIGH", "aqi_exceeded_high"),
        (SiteKind.CLIMATE_SENSOR, "MOTION_HUMAN", None),
        (SiteKind.DOOR_SENSOR, "DOOR_AJAR", "ajar"),
        (SiteKind.OCCUPANCY_SENSOR, "PIR_VACANT", "vacant"),
    ],
)
def test_event_type(kind: SiteKind, trigger: str, expected: str | None) -> None:
    assert event_type(kind, trigger) == expected


def test_event_types_dedupe_and_fixed_lists() -> None:
    triggers = ["AC_TAMPER_PROX", "AC_TAMPER_SWITCH", "AC_REMOTE_UNLOCK", "X"]
    assert event_types(SiteKind.ACCESS_CONTROL, triggers) == ["tamper", "remote_unlock"]
    assert len(set(ACCESS_EVENT_TYPES)) == len(ACCESS_EVENT_TYPES)
    assert "glass_break" in AUDIO_SOUNDS

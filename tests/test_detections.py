"""The trigger → detection kind table."""

from __future__ import annotations

import pytest

from custom_components.rhombus.detections import (
    DetectionKind,
    kind_of,
    kinds_of,
)


@pytest.mark.parametrize(
    ("trigger", "kind"),
    [
        ("PERSON_DETECTED", "person"),
        ("MOTION_HUMAN", "person"),
        ("VEHICLE_DETECTED", "vehicle"),
        ("MOTION_CAR", "vehicle"),
        ("LOITERING", "loitering"),
        ("LOITER_HUMAN", "loitering"),
        ("MOTION_DETECTED", "motion"),
        ("MOTION", "motion"),
        ("LINE_CROSSING", "line_crossing"),
        ("HUMAN_ENTER", "line_crossing"),
        ("HUMAN_EXIT", "line_crossing"),
        ("CAR_ENTER", "line_crossing"),
        ("CAR_EXIT", "line_crossing"),
        ("AREA_INTRUSION", "area_intrusion"),
        ("MOTION_ANIMAL", "animal"),
        ("MOTION_PACKAGE", "package"),
        ("PACKAGE_ARRIVED", "package"),
        ("PACKAGE_DEPARTED", "package"),
        ("FACE", "face"),
        ("FACE_IDENTIFIED", "face"),
        ("LICENSEPLATE", "license_plate"),
        ("LICENSEPLATE_ALERT", "license_plate"),
        ("TAMPER", "tamper"),
        ("VISUAL_TAMPER", "tamper"),
        ("MOTION_TAMPER", "tamper"),
        ("SOUND_LOUD", "sound"),
        ("AUDIO_SOUND_GLASS_BREAK", "sound"),
    ],
)
def test_known_triggers(trigger: str, kind: str) -> None:
    assert kind_of(trigger) == DetectionKind(kind)


@pytest.mark.parametrize("trigger", ["POSE_FALL", "DOOR_OPENED", "", "UNKNOWN"])
def test_unknown_triggers_map_to_nothing(trigger: str) -> None:
    assert kind_of(trigger) is None


def test_kinds_of_dedupes_in_order() -> None:
    assert kinds_of(["HUMAN_ENTER", "MOTION_HUMAN", "CAR_EXIT", "POSE_FALL"]) == (
        DetectionKind.LINE_CROSSING,
        DetectionKind.PERSON,
    )

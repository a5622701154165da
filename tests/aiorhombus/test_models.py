"""Tolerant parsing of change events, cameras and orgs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.rhombus.aiorhombus import (
    Camera,
    ChangeEvent,
    ChangeType,
    Org,
    RhombusProtocolError,
)
from custom_components.rhombus.aiorhombus.const import DEFAULT_THUMBNAIL_REGION
from custom_components.rhombus.aiorhombus.models import location_region

FIXTURES = Path(__file__).parents[1] / "fixtures"
NESTED: dict[str, Any] = {
    "entity": "POLICY_ALERT",
    "entityUuid": "H3TIEbCPvTDvCvmjNtHccw",
    "type": "CREATE",
    "deviceUuid": "AJIWO0VkYgWhKxGurbZ0lA",
    "timestampMs": 1774459323512,
    "update": {
        "uuid": "H3TIEbCPvTDvCvmjNtHccw",
        "deviceUuid": "AJIWO0VkYgWhKxGurbZ0lA",
        "timestampMs": 1774459323512,
        "durationSec": 8,
        "policyAlertTriggers": ["MOTION_HUMAN"],
        "textDescription": "A person walks up to the front entrance door.",
    },
}
FLAT: dict[str, Any] = {
    "entity": "POLICY_ALERT",
    "entityUuid": "a1b2",
    "type": "CREATE",
    "deviceUuid": "d1e2",
    "timestampMs": 1711843200000,
    "durationSec": 5.2,
    "policyAlertTriggers": ["PERSON_DETECTED", "LOITERING"],
    "textDescription": "Person detected near entrance",
}


def test_nested_shape() -> None:
    event = ChangeEvent.from_message(NESTED)
    assert event.is_alert
    assert event.entity_uuid == "H3TIEbCPvTDvCvmjNtHccw"
    assert event.device_uuid == "AJIWO0VkYgWhKxGurbZ0lA"
    assert event.timestamp_ms == 1774459323512
    assert event.duration_sec == 8.0
    assert event.triggers == ("MOTION_HUMAN",)
    assert event.description == "A person walks up to the front entrance door."
    assert not event.needs_details
    assert event.payload is NESTED


def test_flat_shape() -> None:
    event = ChangeEvent.from_message(FLAT)
    assert event.triggers == ("PERSON_DETECTED", "LOITERING")
    assert event.duration_sec == 5.2
    assert event.device_uuid == "d1e2"


def test_reference_examples_parse() -> None:
    create = json.loads(
        (FIXTURES / "ws-message-body.policy-alert-create.json").read_text()
    )
    delete = json.loads(
        (FIXTURES / "ws-message-body.policy-alert-delete.json").read_text()
    )
    assert ChangeEvent.from_message(create).triggers == ("MOTION_HUMAN",)
    assert ChangeEvent.from_message(delete).change_type == "DELETE"


def test_uuid_from_update_when_top_level_missing() -> None:
    body = {"entity": "POLICY_ALERT", "type": "UPDATE", "update": {"uuid": "u1"}}
    event = ChangeEvent.from_message(body)
    assert event.entity_uuid == "u1"
    assert event.needs_details


def test_sparse_alert_needs_details_and_is_completed() -> None:
    sparse = ChangeEvent.from_message(
        {"entity": "POLICY_ALERT", "entityUuid": "u1", "type": "CREATE"}
    )
    assert sparse.needs_details
    full = sparse.completed_by(NESTED["update"])
    assert full.triggers == ("MOTION_HUMAN",)
    assert full.device_uuid == "AJIWO0VkYgWhKxGurbZ0lA"
    assert full.timestamp_ms == 1774459323512
    assert full.duration_sec == 8.0
    assert full.description
    assert full.payload == sparse.payload
    assert not full.needs_details


def test_wrongly_typed_fields_become_missing() -> None:
    event = ChangeEvent.from_message(
        {
            "entity": "POLICY_ALERT",
            "entityUuid": 42,
            "type": "CREATE",
            "deviceUuid": ["x"],
            "timestampMs": True,
            "durationSec": "long",
            "policyAlertTriggers": ["MOTION", 7, None, ""],
            "textDescription": {"a": 1},
        }
    )
    assert event.entity_uuid is None
    assert event.device_uuid is None
    assert event.timestamp_ms is None
    assert event.duration_sec is None
    assert event.triggers == ("MOTION",)
    assert event.description is None
    assert not event.needs_details  # no uuid to fetch details with


def test_other_entities_pass_through() -> None:
    event = ChangeEvent.from_message({"entity": "DOOR_STATE", "type": "UPDATE"})
    assert not event.is_alert
    assert not event.needs_details
    assert event.triggers is None


@pytest.mark.parametrize(
    "body", [[1, 2], "text", None, {"type": "CREATE"}, {"entity": "POLICY_ALERT"}]
)
def test_not_a_change_event(body: Any) -> None:
    with pytest.raises(RhombusProtocolError):
        ChangeEvent.from_message(body)


def test_camera_and_org_parsing() -> None:
    camera = Camera.from_api(
        {
            "uuid": "c1",
            "name": "Lobby",
            "hwVariation": "CAMERA_R200",
            "connectionStatus": "GREEN",
            "firmwareVersion": "v1",
        }
    )
    assert camera is not None
    assert camera.online
    assert camera.hw_variation == "CAMERA_R200"
    assert Camera.from_api({"name": "no uuid"}) is None
    assert Camera.from_api("junk") is None
    unnamed = Camera.from_api({"uuid": "c2"})
    assert unnamed is not None
    assert unnamed.name == "c2"
    assert not unnamed.online
    assert Org.from_api({"org": {"uuid": "o1", "name": "Acme"}}) == Org("o1", "Acme")
    with pytest.raises(RhombusProtocolError):
        Org.from_api({"org": None})


@pytest.mark.parametrize(
    "timestamp", [float("inf"), float("nan"), 1e400, -5, 1.7e15, 2**42, "1774459323512"]
)
def test_impossible_timestamps_become_missing(timestamp: Any) -> None:
    """Infinity, microseconds or a negative number would crash every date use."""
    event = ChangeEvent.from_message(
        {"entity": "POLICY_ALERT", "type": "CREATE", "timestampMs": timestamp}
    )
    assert event.timestamp_ms is None
    assert event.timestamp_iso is None
    assert ChangeEvent.from_alert({"timestampMs": timestamp}).timestamp_ms is None


def test_non_finite_duration_becomes_missing() -> None:
    event = ChangeEvent.from_message(
        {"entity": "POLICY_ALERT", "type": "CREATE", "durationSec": float("inf")}
    )
    assert event.duration_sec is None


@pytest.mark.parametrize(
    ("payload", "region"),
    [
        ({"update": {"thumbnailLocation": {"region": "us-east-2"}}}, "us-east-2"),
        ({"thumbnailLocation": {"region": "eu-west-1"}}, "eu-west-1"),
        ({"update": {}, "thumbnailLocation": {"region": "ap-south-1"}}, "ap-south-1"),
        ({"update": "x", "thumbnailLocation": "us-east-2"}, DEFAULT_THUMBNAIL_REGION),
        ({"thumbnailLocation": {"region": "../../etc"}}, DEFAULT_THUMBNAIL_REGION),
        ({"thumbnailLocation": {"region": 5}}, DEFAULT_THUMBNAIL_REGION),
        ({}, DEFAULT_THUMBNAIL_REGION),
    ],
)
def test_thumbnail_region_of_an_alert(payload: dict[str, object], region: str) -> None:
    event = ChangeEvent.from_alert(payload)
    assert event.thumbnail_region == region


@pytest.mark.parametrize("change", ["CREATE", "UPDATE", "DELETE", "REFRESH"])
def test_known_change_types_are_typed(change: str) -> None:
    event = ChangeEvent.from_message({**FLAT, "type": change})
    assert event.change_type is ChangeType(change)


def test_unknown_change_type_is_kept_as_text() -> None:
    event = ChangeEvent.from_message({**FLAT, "type": "ARCHIVE"})
    assert event.change_type == "ARCHIVE"
    assert not isinstance(event.change_type, ChangeType)
    assert not event.needs_details


@pytest.mark.parametrize("region", ["us-west-2\n", "us-west-2/..", "", "x" * 41])
def test_a_region_must_be_a_plain_name_entirely(region: str) -> None:
    """``$`` matches before a trailing newline: the name is matched whole."""
    assert location_region({"region": region}) is None
    assert location_region({"region": "us-west-2"}) == "us-west-2"


def test_cloud_text_ids_and_triggers_are_bounded() -> None:
    """A megabyte in any of them would reach the bus event and attributes."""
    event = ChangeEvent.from_message(
        {
            "entity": "POLICY_ALERT",
            "type": "CREATE",
            "entityUuid": "u" * 101,
            "deviceUuid": "d" * 5000,
            "textDescription": "x" * 1_000_000,
            "policyAlertTriggers": ["MOTION"] * 1000 + ["T" * 101],
        }
    )
    assert event.entity_uuid is None
    assert event.device_uuid is None
    assert event.description == "x" * 1000
    assert event.triggers == ("MOTION",) * 32
    with pytest.raises(RhombusProtocolError):
        ChangeEvent.from_message({"entity": "E" * 101, "type": "CREATE"})


def test_a_facet_device_uuid_names_its_device() -> None:
    """``<camera>.v0`` on a message or a listed alert is the camera itself."""
    message = {"entity": "POLICY_ALERT", "type": "CREATE", "deviceUuid": "cam-1.v0"}
    assert ChangeEvent.from_message(message).device_uuid == "cam-1"
    nested = {**message, "deviceUuid": None, "update": {"deviceUuid": "cam-2.v1"}}
    assert ChangeEvent.from_message(nested).device_uuid == "cam-2"
    assert ChangeEvent.from_alert({"deviceUuid": "cam-3.v0"}).device_uuid == "cam-3"

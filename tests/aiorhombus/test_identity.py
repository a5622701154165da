"""Faces and plates read from alerts, and the identity calls over loopback."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import web
from hypothesis import given, strategies as st
import pytest

from custom_components.rhombus.aiorhombus import (
    Identities,
    ReadPlate,
    RecognisedFace,
    RhombusIdentityClient,
    RhombusProtocolError,
    RhombusRestClient,
    identities_of,
    names_identity,
)
from simulator import RhombusSimulator

from .helpers import KEY, ScriptedCloud

ALICE = {
    "faceId": "f1",
    "faceName": "Alice",
    "personUuid": "p-alice",
    "labels": ["staff"],
}
STRANGER = {"faceId": "f2", "faceName": None, "personUuid": None, "labels": None}
FAMILY_CAR = {"licensePlateNumber": "ABC123", "vehicleName": "Family car", "labels": []}


def test_an_alert_without_the_lists_says_so() -> None:
    """No list at all is "unknown" (ask the details), not "nobody"."""
    assert identities_of({"uuid": "a", "policyAlertTriggers": ["FACE"]}) is None


def test_empty_lists_mean_nobody() -> None:
    """Lists that are there but empty: no faces, no plates, no details call."""
    assert identities_of({"alertingEventFaces": []}) == Identities()


def test_faces_and_plates_from_the_update_of_a_message() -> None:
    """A stream message's ``update`` is read first, as for every alert field."""
    message = {
        "entity": "POLICY_ALERT",
        "update": {
            "alertingEventFaces": [ALICE, STRANGER],
            "alertingEventVehicles": [FAMILY_CAR],
        },
    }
    found = identities_of(message)
    assert found is not None
    assert [face.as_event() for face in found.faces] == [
        {"name": "Alice", "person_uuid": "p-alice", "labels": ["staff"], "known": True},
        {"name": None, "person_uuid": None, "labels": [], "known": False},
    ]
    assert [plate.as_event() for plate in found.plates] == [
        {"plate": "ABC123", "vehicle_name": "Family car", "labels": [], "known": True}
    ]


def test_details_lists_count_a_face_once() -> None:
    """The details repeat the alerting face in ``recognizedEventFaces``: one face."""
    details = {
        "alertingEventFaces": [ALICE],
        "recognizedEventFaces": [ALICE],
        "unrecognizedEventFaces": [STRANGER, {**STRANGER, "faceId": "f3"}],
    }
    found = identities_of(details)
    assert found is not None
    assert [face.name for face in found.faces] == ["Alice", None, None]


@pytest.mark.parametrize(
    "bad",
    [
        {"faceName": ""},
        {"faceName": "   "},
        {"faceName": 42},
        {"faceName": "x" * 500},
        "not an object",
    ],
)
def test_an_unusable_name_is_dropped_and_counted(bad: Any) -> None:
    """Empty, blank, non-text or absurdly long names are dropped, the rest kept."""
    found = identities_of({"alertingEventFaces": [bad, ALICE]})
    assert found == Identities(
        (RecognisedFace("Alice", "p-alice", ("staff",)),), (), dropped=1
    )


def test_an_unusable_plate_is_dropped_and_counted() -> None:
    """A plate of 40 characters is not a plate; a plate read stays a plate read."""
    found = identities_of(
        {"alertingEventVehicles": [{"licensePlateNumber": "X" * 40}, FAMILY_CAR]}
    )
    assert found == Identities((), (ReadPlate("ABC123", "Family car"),), dropped=1)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "faceName",
                        "personUuid",
                        "labels",
                        "licensePlateNumber",
                        "vehicleName",
                        "alertingEventFaces",
                        "alertingEventVehicles",
                        "update",
                    ]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_anything_reads_without_an_error(value: Any) -> None:
    """Whatever the cloud sends, reading it never raises and names stay text."""
    if not isinstance(value, dict):
        value = {"alertingEventFaces": value}
    found = identities_of(value)
    for face in found.faces if found else ():
        assert face.name is None or 0 < len(face.name) <= 128
    for plate in found.plates if found else ():
        assert plate.plate is None or 0 < len(plate.plate) <= 16


def test_identity_triggers() -> None:
    """FACE* and LICENSEPLATE* triggers name someone or something; others do not."""
    assert names_identity(["FACE_IDENTIFIED"])
    assert names_identity(["MOTION", "LICENSEPLATE_TRUSTED"])
    assert not names_identity(["MOTION_HUMAN"])
    assert not names_identity(None)


@pytest.fixture
def client(sim: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusIdentityClient:
    return RhombusIdentityClient(RhombusRestClient(http, KEY, sim.rest_url))


async def test_people_and_vehicles(
    sim: RhombusSimulator, client: RhombusIdentityClient
) -> None:
    """The org's named people and saved vehicles, one call each."""
    alice = sim.add_person("Alice")
    sim.add_vehicle("ABC123", "Family car", trusted=True)
    sim.add_vehicle("XYZ9", "Van")
    people = await client.get_people()
    vehicles = await client.get_vehicles()
    assert [(person.uuid, person.name) for person in people] == [(alice, "Alice")]
    assert [(v.plate, v.name, v.trusted) for v in vehicles] == [
        ("ABC123", "Family car", True),
        ("XYZ9", "Van", False),
    ]


async def test_face_sightings_page_newest_first(
    sim: RhombusSimulator, client: RhombusIdentityClient
) -> None:
    """Sightings come newest first, a page at a time, with the camera unfaceted."""
    camera = next(iter(sim.cameras))
    alice = sim.add_person("Alice")
    sim.add_person("Bob")
    for name in ("Alice", "Bob", "Alice", None):
        await sim.emit_face_alert(camera, [name])
    first = await client.find_face_events(page_size=3)
    assert [s.subject for s in first.sightings] == [None, "Alice", "Bob"]
    assert {s.camera_uuid for s in first.sightings} == {camera}
    assert first.next_key is not None
    rest = await client.find_face_events(page_size=3, after_key=first.next_key)
    assert [s.subject for s in rest.sightings] == ["Alice"]
    assert rest.next_key is None
    only_alice = await client.find_face_events(person_uuids=[alice])
    assert [s.subject for s in only_alice.sightings] == ["Alice", "Alice"]


async def test_plate_reads_in_a_window(
    sim: RhombusSimulator, client: RhombusIdentityClient
) -> None:
    """Plate reads carry the plate and, for a saved vehicle, its name."""
    camera = next(iter(sim.cameras))
    sim.add_vehicle("ABC123", "Family car")
    await sim.emit_plate_alert(camera, ["ABC123"])
    await sim.emit_plate_alert(camera, ["ZZZ999"])
    reads = await client.get_vehicle_events(0, 2**41)
    assert {(r.subject, r.label, r.camera_uuid) for r in reads} == {
        ("ZZZ999", None, camera),
        ("ABC123", "Family car", camera),
    }
    stamps = [r.timestamp_ms for r in reads]
    assert stamps == sorted(stamps, reverse=True)
    assert await client.get_vehicle_events(0, 1) == ()


async def test_a_list_that_is_not_a_list_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """``people: "x"`` is not "nobody": it is an error the caller can see."""

    async def answer(_request: web.Request) -> web.Response:
        return web.json_response({"people": "x"})

    cloud.rest = answer
    client = RhombusIdentityClient(RhombusRestClient(http, KEY, cloud.url))
    with pytest.raises(RhombusProtocolError):
        await client.get_people()

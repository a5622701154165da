"""Face and plate alerts on the stream, with and without their lists."""

from __future__ import annotations

import json

from simulator import RhombusSimulator

from .helpers import StompClient


async def test_a_face_alert_carries_its_faces_then_a_face_event(
    sim: RhombusSimulator, client: StompClient
) -> None:
    """The alert's ``update`` lists the faces; a FACE_EVENT change follows."""
    camera = next(iter(sim.cameras))
    alice = sim.add_person("Alice")
    uuid = await sim.emit_face_alert(camera, ["Alice"], labels=["staff"])
    alert = json.loads((await client.frame()).body)
    assert alert["update"]["policyAlertTriggers"] == ["FACE_IDENTIFIED"]
    assert alert["update"]["alertingEventFaces"][0]["faceName"] == "Alice"
    assert alert["update"]["alertingEventFaces"][0]["personUuid"] == alice
    assert "recognizedEventFaces" not in alert["update"]  # details only
    sighting = json.loads((await client.frame()).body)
    assert sighting["entity"] == "FACE_EVENT"
    assert sighting["update"]["deviceUuid"] == f"{camera}.v0"
    assert sim.alerts[uuid]["recognizedEventFaces"][0]["faceName"] == "Alice"


async def test_the_stream_can_leave_the_lists_out(
    sim: RhombusSimulator, client: StompClient
) -> None:
    """With ``identity_on_stream`` off, only the details call names the plate."""
    camera = next(iter(sim.cameras))
    sim.add_vehicle("ABC123", "Family car", trusted=True)
    sim.identity_on_stream = False
    uuid = await sim.emit_plate_alert(camera, ["ABC123"])
    alert = json.loads((await client.frame()).body)
    assert alert["update"]["policyAlertTriggers"] == ["LICENSEPLATE_TRUSTED"]
    assert "alertingEventVehicles" not in alert["update"]
    stored = sim.alerts[uuid]["alertingEventVehicles"]
    assert stored == [
        {"licensePlateNumber": "ABC123", "vehicleName": "Family car", "labels": []}
    ]


async def test_unknown_faces_and_plates(
    sim: RhombusSimulator, client: StompClient
) -> None:
    """A face nobody named and a plate nobody saved are unidentified."""
    camera = next(iter(sim.cameras))
    await sim.emit_face_alert(camera, [None])
    face = json.loads((await client.frame()).body)
    assert face["update"]["policyAlertTriggers"] == ["FACE_UNIDENTIFIED"]
    await client.frame()  # the FACE_EVENT
    await sim.emit_plate_alert(camera, ["ZZZ999"])
    plate = json.loads((await client.frame()).body)
    assert plate["update"]["policyAlertTriggers"] == ["LICENSEPLATE_UNIDENTIFIED"]

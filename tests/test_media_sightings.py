"""People and Plates in the media browser, over the WebSocket API and real sockets."""

from __future__ import annotations

from collections.abc import Iterator
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from simulator import RhombusSimulator

ROOT = "media-source://rhombus"
PEOPLE = "/api/faceRecognition/person/findPeopleByOrg"
FACES = "/api/faceRecognition/faceEvent/findFaceEventsByOrg"
PLATES = "/api/vehicle/getVehicleEvents"


async def call(ws: Any, kind: str, media_content_id: str) -> dict[str, Any]:
    await ws.send_json_auto_id(
        {"type": f"media_source/{kind}", "media_content_id": media_content_id}
    )
    msg: dict[str, Any] = await ws.receive_json()
    assert msg["success"], msg
    result: dict[str, Any] = msg["result"]
    return result


async def plays_without_token(
    ws: Any, client: Any, sim: RhombusSimulator, item: dict[str, Any], *seen: object
) -> None:
    """Its picture and its footage come through Home Assistant, with no token.

    ``seen``: the folders browsed on the way, searched for the token too.
    """
    picture = await client.get(item["thumbnail"])
    assert picture.status == 200
    assert picture.content_type == "image/jpeg"
    played = await call(ws, "resolve_media", item["media_content_id"])
    assert played["mime_type"] == "application/vnd.apple.mpegurl"
    playlist = await client.get(played["url"])
    assert playlist.status == 200
    text = await playlist.text()
    assert "#EXTINF" in text
    handed_out = f"{seen}{played}{text}"
    assert sim.federated_tokens
    assert not [token for token in sim.federated_tokens if token in handed_out]


@pytest.fixture(autouse=True)
def _quiet_names(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Names are user data: no log record at INFO or above may hold one."""
    caplog.set_level(logging.DEBUG)
    yield
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    for name in ("Alice", "Bob", "ABC123", "Family car"):
        assert not [line for line in loud if name in line], name


def titled(folder: dict[str, Any], title: str) -> dict[str, Any]:
    return next(c for c in folder["children"] if c["title"] == title)


async def test_people_browse_newest_first_page_and_play(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """People → Alice → her recognitions, a page at a time; each plays."""
    front, lobby, _ = simulator.cameras
    simulator.add_person("Alice")
    simulator.add_person("Bob")
    await simulator.emit_face_alert(front, ["Alice"])
    await simulator.emit_face_alert(lobby, ["Bob"])
    await simulator.emit_face_alert(lobby, ["Alice"])
    for sighting in simulator.identity.face_events:  # recorded an hour ago
        sighting["eventTimestamp"] -= 3_600_000
    assert simulator.calls(PEOPLE) == 0  # nothing asked until browsed
    ws = await hass_ws_client()
    account = await call(ws, "browse_media", f"{ROOT}/{loaded_entry.entry_id}")
    people = await call(
        ws, "browse_media", titled(account, "People")["media_content_id"]
    )
    assert [c["title"] for c in people["children"]] == ["Alice", "Bob"]
    alice_id = titled(people, "Alice")["media_content_id"]

    with patch("custom_components.rhombus.media.sightings.PAGE_SIZE", 1):
        alice = await call(ws, "browse_media", alice_id)
        assert alice["title"] == "Alice"
        newest, older = alice["children"]
        assert newest["title"].endswith(" · Lobby")
        assert newest["can_play"]
        assert older["title"] == "Older"
        second = await call(ws, "browse_media", older["media_content_id"])
    assert [c["title"].split(" · ")[1] for c in second["children"]] == [
        "Front Entrance"
    ]

    client = await hass_client_no_auth()
    unsigned = await client.get(newest["thumbnail"].split("?")[0])
    assert unsigned.status == 401
    await plays_without_token(ws, client, simulator, newest, people, alice, second)

    # Kept 30 s: browsing again asks Rhombus nothing more.
    calls = simulator.calls(PEOPLE)
    await call(ws, "browse_media", titled(account, "People")["media_content_id"])
    assert simulator.calls(PEOPLE) == calls == 1


async def test_plates_show_the_day_with_names_and_play(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Plate reads of the last day, the saved vehicle's name beside its plate."""
    gate = next(iter(simulator.cameras.values()))
    simulator.add_vehicle("ABC123", "Family car")
    await simulator.emit_plate_alert(gate.uuid, ["ABC123"])
    await simulator.emit_plate_alert(gate.uuid, ["ZZZ999"])
    for sighting in simulator.identity.vehicle_events:  # recorded an hour ago
        sighting["eventTimestamp"] -= 3_600_000
    ws = await hass_ws_client()
    plates = await call(ws, "browse_media", f"{ROOT}/{loaded_entry.entry_id}/plates")
    titles = [c["title"].split(" · ", 1)[-1] for c in plates["children"]]
    assert titles == [
        f"ZZZ999 · {gate.name}",
        f"ABC123 (Family car) · {gate.name}",
        "Older",
    ]
    assert simulator.calls(PLATES) == 1
    older = await call(ws, "browse_media", plates["children"][-1]["media_content_id"])
    assert [c["title"] for c in older["children"]] == ["Older"]

    # A plate read plays its footage through Home Assistant, with no token in sight.
    read = plates["children"][1]
    assert read["can_play"]
    client = await hass_client_no_auth()
    await plays_without_token(ws, client, simulator, read, plates)
    # Kept 30 s: browsing again asks Rhombus nothing more.
    calls = simulator.calls(PLATES)
    await call(ws, "browse_media", f"{ROOT}/{loaded_entry.entry_id}/plates")
    assert simulator.calls(PLATES) == calls


async def test_a_bad_page_key_is_refused_without_a_call(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A person id with a page key that is not one: an error, no REST call."""
    ws = await hass_ws_client()
    await ws.send_json_auto_id(
        {
            "type": "media_source/browse_media",
            "media_content_id": f"{ROOT}/{loaded_entry.entry_id}/person/abc/%%%",
        }
    )
    msg = await ws.receive_json()
    assert not msg["success"]
    assert simulator.calls(FACES) == 0

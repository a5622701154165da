"""Generated data, camera changes and the frame codec's edge cases."""

from __future__ import annotations

import re
import time

import pytest

from simulator import RhombusSimulator, SimCamera
from simulator.events import change_body
from simulator.frames import FrameError, encode_frame, escape, parse_frames, unescape
from simulator.names import CAMERA_NAMES, NameGenerator

RUUID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def test_seed_makes_everything_repeatable() -> None:
    one = RhombusSimulator(cameras=5, seed=3)
    two = RhombusSimulator(cameras=5, seed=3)
    other = RhombusSimulator(cameras=5, seed=4)
    assert one.org_uuid == two.org_uuid != other.org_uuid
    assert list(one.cameras.values()) == list(two.cameras.values())
    assert list(one.cameras) != list(other.cameras)


def test_generated_cameras_look_real() -> None:
    sim = RhombusSimulator(cameras=4, seed=1)
    cams = list(sim.cameras.values())
    assert [c.name for c in cams] == list(CAMERA_NAMES[:4])
    for cam in cams:
        assert isinstance(cam, SimCamera)
        assert RUUID.match(cam.uuid)
        assert cam.hw_variation.startswith("CAMERA_R")
        assert cam.serial_number.startswith(f"RCAM-{cam.hw_variation[7:]}-")
        assert re.match(r"^v\d+\.\d+\.\d+$", cam.firmware_version)
        assert (cam.connection_status, cam.health_status) == ("GREEN", "GREEN")
        assert cam.location_uuid == sim.world.location_uuid


def test_thousand_cameras_quickly() -> None:
    start = time.monotonic()
    sim = RhombusSimulator(cameras=1_000, seed=2)
    states = [c.to_state() for c in sim.cameras.values()]
    assert time.monotonic() - start < 1.0
    assert len(sim.cameras) == 1_000
    names = [s["name"] for s in states]
    assert len(set(names)) == 1_000
    assert f"{CAMERA_NAMES[0]} 2" in names
    assert len({s["lanAddresses"][0] for s in states}) == 1_000


def test_camera_changes() -> None:
    sim = RhombusSimulator(cameras=2, seed=5)
    first, second = list(sim.cameras)
    added = sim.add_camera("Gate")
    assert list(sim.cameras)[-1] == added.uuid
    assert added.name == "Gate"
    assert sim.add_camera().name == CAMERA_NAMES[2]
    sim.rename_camera(first, "Main Door")
    assert sim.cameras[first].name == "Main Door"
    sim.remove_camera(second)
    assert second not in sim.cameras
    with pytest.raises(KeyError, match="no simulated camera"):
        sim.remove_camera(second)
    with pytest.raises(KeyError):
        sim.rename_camera("nope", "x")
    sim.set_camera_status(first, "ORANGE")
    assert sim.cameras[first].to_state()["healthStatusDetails"] == "NOT_RECORDING"
    sim.set_camera_status(first, "GREEN", health_status="YELLOW")
    state = sim.cameras[first].to_state()
    assert (state["connectionStatus"], state["healthStatus"]) == ("GREEN", "YELLOW")
    assert state["healthStatusDetails"] == "LINK_SPEED_LOW"
    with pytest.raises(ValueError, match="status"):
        sim.set_camera_status(first, "BLUE")
    with pytest.raises(ValueError, match="status"):
        sim.set_camera_status(first, "RED", health_status="PINK")


def test_alert_on_unknown_camera() -> None:
    sim = RhombusSimulator(cameras=0, seed=1)
    alert = sim.world.build_alert(
        "UNKNOWNCAMERAUUID00000",
        [],
        alert_uuid="A" * 22,
        description=None,
        timestamp_ms=5,
        duration_sec=1.5,
    )
    assert alert["uuid"] == "A" * 22
    assert alert["locationUuid"] == sim.world.location_uuid
    assert alert["textDescription"] is None
    assert alert["seekPoints"][0]["activity"] == "MOTION"


def test_names() -> None:
    names = NameGenerator(9)
    assert all(RUUID.match(names.ruuid()) for _ in range(100))
    assert re.match(r"^02(:[0-9a-f]{2}){5}$", names.mac_address())
    seen = {t for _ in range(2_000) for t in names.triggers()}
    assert {"MOTION_HUMAN", "MOTION_CAR", "POSE_FALL", "HUMAN_ENTER"} <= seen
    assert names.description("MOTION_HUMAN", "Front Entrance").endswith(".")
    assert "loading dock" in names.description("NOT_A_TRIGGER", "Loading Dock")


def test_codec_roundtrip_and_escapes() -> None:
    assert escape("a:b\\c\nd\re") == "a\\cb\\\\c\\nd\\re"
    assert unescape(escape("a:b\\c\nd\re")) == "a:b\\c\nd\re"
    assert unescape("plain") == "plain"
    with pytest.raises(FrameError):
        unescape("trailing\\")
    # CONNECTED headers are never escaped (STOMP 1.2)
    assert encode_frame("CONNECTED", [("x", "a:b")]) == "CONNECTED\nx:a:b\n\n\x00"
    assert encode_frame("RECEIPT", [("x", "a:b")]) == "RECEIPT\nx:a\\cb\n\n\x00"


def test_parse_frames_edge_cases() -> None:
    assert parse_frames("") == ([], 0)
    assert parse_frames("\r\n\n") == ([], 2)
    frames, beats = parse_frames("SEND\nh:1\nh:2\n\nbody\x00\n\n")
    assert (frames[0].headers, frames[0].body, beats) == ({"h": "1"}, "body", 2)
    frames, _ = parse_frames("CONNECT\nlogin:a\\c\n\n\x00")  # CONNECT: no unescaping
    assert frames[0].headers["login"] == "a\\c"
    with pytest.raises(FrameError, match="name"):
        parse_frames("SEND\n:value\n\n\x00")


def test_change_body_rejects_unknown_shape() -> None:
    with pytest.raises(ValueError, match="shape"):
        change_body({"uuid": "u", "deviceUuid": "d", "timestampMs": 1}, shape="x",
                    change_type="CREATE")  # fmt: skip

"""Media: frames, thumbnails, HLS, federated tokens, dismissals and media faults."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import io
import json
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from PIL import Image
import pytest

from simulator import RhombusSimulator

from .helpers import AUTH, StompClient

FT = "x-auth-scheme=federated-token&x-auth-ft="


async def post(http, sim: RhombusSimulator, path: str, body) -> tuple[int, Any]:
    async with http.post(f"{sim.rest_url}/api/{path}", json=body, headers=AUTH) as r:
        return r.status, await r.json(content_type=None)


async def get(http, url: str, headers=None) -> tuple[int, bytes, str]:
    async with http.get(url, headers=headers or {}) as resp:
        return resp.status, await resp.read(), resp.content_type


async def token(http, sim: RhombusSimulator, seconds: int = 60) -> str:
    status, body = await post(
        http, sim, "org/generateFederatedSessionToken", {"durationSec": seconds}
    )
    assert status == 200
    return str(body["federatedSessionToken"])


async def test_frame_uri_then_jpeg(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras.values()))
    status, body = await post(
        http,
        sim,
        "video/getExactFrameUri",
        {"cameraUuid": camera.uuid, "timestampMs": 1234, "jpgQuality": 50},
    )
    assert status == 200
    assert body["error"] is False
    uri = body["frameUri"]
    assert uri == f"{sim.media_url}/media/frame/{camera.uuid}/1234/frame.jpeg"
    status, data, content_type = await get(http, uri, AUTH)
    assert (status, content_type) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(data)).size == (320, 180)
    assert (await get(http, uri))[0] == 401  # no key, no token
    assert sim.media_calls("/media/frame/") == 2


@pytest.mark.off_spec_requests
async def test_frame_errors(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    _, body = await post(
        http, sim, "video/getExactFrameUri", {"cameraUuid": "nope", "timestampMs": 1}
    )
    assert body == {"error": True, "errorMsg": "Camera not found", "warningMsg": None}
    for bad in (
        {"cameraUuid": camera},
        {"cameraUuid": camera, "timestampMs": "1"},
        {"cameraUuid": 5, "timestampMs": 1},
        {"cameraUuid": camera, "timestampMs": 1, "downscaleFactor": True},
    ):
        status, _ = await post(http, sim, "video/getExactFrameUri", bad)
        assert status == 400, bad
    base = f"{sim.media_url}/media/frame"
    assert (await get(http, f"{base}/nope/1/frame.jpeg", AUTH))[0] == 404
    assert (await get(http, f"{base}/{camera}/x/frame.jpeg", AUTH))[0] == 404
    assert (await get(http, f"{sim.media_url}/media/other", AUTH))[0] == 404


async def test_thumbnails_differ_per_alert(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    first = await sim.emit_alert(camera, ("MOTION_HUMAN",))
    second = await sim.emit_alert(camera, ("MOTION_CAR",))
    url = f"{sim.media_url}/media/metadata/us-west-2/{{}}.jpeg"
    status, one, content_type = await get(http, url.format(first), AUTH)
    assert (status, content_type) == (200, "image/jpeg")
    _, two, _ = await get(http, url.format(second), AUTH)
    pixel = (5, 80)  # below the caption, the plain background colour
    assert Image.open(io.BytesIO(one)).getpixel(pixel) != Image.open(
        io.BytesIO(two)
    ).getpixel(pixel)
    assert (await get(http, url.format("unknown"), AUTH))[0] == 404
    wrong_region = f"{sim.media_url}/media/metadata/us-east-2/{first}.jpeg"
    assert (await get(http, wrong_region, AUTH))[0] == 404
    await sim.emit_delete(first)  # a dismissed alert keeps its thumbnail
    assert (await get(http, url.format(first), AUTH))[0] == 200


async def test_federated_token_authorises_media(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    alert = await sim.emit_alert(camera)
    ft = await token(http, sim)
    assert ft in sim.federated_tokens
    url = f"{sim.media_url}/media/metadata/us-west-2/{alert}.jpeg"
    assert (await get(http, f"{url}?{FT}{ft}"))[0] == 200
    headers = {"x-auth-scheme": "federated-token", "x-auth-ft": ft}
    assert (await get(http, url, headers))[0] == 200
    assert (await get(http, f"{url}?{FT}forged"))[0] == 401
    recorded = sim.media_requests[1]
    assert ft not in repr(recorded)
    assert "x-auth-ft" in recorded.headers
    sim.expire_tokens()
    assert (await get(http, f"{url}?{FT}{ft}"))[0] == 401


async def test_token_expires_with_the_clock(
    sim: RhombusSimulator, http, freezer: FrozenDateTimeFactory
) -> None:
    ft = await token(http, sim, seconds=60)
    assert sim.federated_tokens[ft] == time.time() + 60
    url = f"{sim.media_url}/media/live/{next(iter(sim.cameras))}/live.m3u8?{FT}{ft}"
    freezer.tick(timedelta(seconds=59))
    assert (await get(http, url))[0] == 200
    freezer.tick(timedelta(seconds=2))
    assert (await get(http, url))[0] == 401


@pytest.mark.off_spec_requests
async def test_token_duration_is_checked(sim: RhombusSimulator, http) -> None:
    for seconds in (0, -5, 86_401, "60", None):
        status, _ = await post(
            http, sim, "org/generateFederatedSessionToken", {"durationSec": seconds}
        )
        assert status == 400, seconds


async def test_hls_playlist_and_segments(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    _, body = await post(http, sim, "camera/getMediaUris", {"cameraUuid": camera})
    live = body["wanLiveM3u8Uri"]
    assert live == f"{sim.media_url}/media/live/{camera}/live.m3u8"
    _, missing = await post(http, sim, "camera/getMediaUris", {"cameraUuid": "x"})
    assert missing["error"] is True
    ft = await token(http, sim)
    status, data, content_type = await get(http, f"{live}?{FT}{ft}")
    assert (status, content_type) == (200, "application/vnd.apple.mpegurl")
    lines = data.decode().splitlines()
    assert lines[0] == "#EXTM3U"
    segments = [line for line in lines if not line.startswith("#")]
    assert len(segments) == 3
    for segment in segments:
        assert segment.endswith(f"?{FT}{ft}")  # the token travels on
        status, ts, content_type = await get(
            http, live.rsplit("/", 1)[0] + "/" + segment
        )
        assert (status, content_type) == (200, "video/mp2t")
        assert len(ts) % 188 == 0
        assert ts[::188] == b"\x47" * (len(ts) // 188)
    _, by_key, _ = await get(http, live, AUTH)
    assert "?" not in by_key.decode()  # header auth: nothing to pass on
    base = live.rsplit("/", 1)[0]
    assert (await get(http, f"{base}/seg_x.ts", AUTH))[0] == 404
    assert (await get(http, f"{base}/seg_1.ts"))[0] == 401
    assert (await get(http, base.replace(camera, "nope") + "/live.m3u8", AUTH))[
        0
    ] == 404
    assert (await get(http, base.replace(camera, "nope") + "/seg_1.ts", AUTH))[0] == 404


@pytest.mark.off_spec_requests
async def test_dismiss_sends_delete(
    sim: RhombusSimulator, http, client: StompClient
) -> None:
    camera = next(iter(sim.cameras))
    alert = await sim.emit_alert(camera)
    await client.frame()  # the CREATE
    status, body = await post(
        http, sim, "event/dismissPolicyAlertV2", {"alertUuid": alert}
    )
    assert (status, body["error"]) == (200, False)
    delete = json.loads((await client.frame()).body)
    assert (delete["entityUuid"], delete["type"]) == (alert, "DELETE")
    assert sim.dismissed == [alert]
    assert sim.alerts[alert]["deleted"] is True
    # Dismissing again answers OK but sends no second DELETE.
    status, body = await post(
        http, sim, "event/dismissPolicyAlertV2", {"alertUuid": alert}
    )
    assert (status, body["error"]) == (200, False)
    assert sim.dismissed == [alert, alert]
    _, body = await post(http, sim, "event/dismissPolicyAlertV2", {"alertUuid": "x"})
    assert body["errorMsg"] == "Policy alert not found"
    status, _ = await post(http, sim, "event/dismissPolicyAlertV2", {"alertUuid": 1})
    assert status == 400
    await sim.emit_alert(camera)  # the next frame is this CREATE, not a DELETE
    assert json.loads((await client.frame()).body)["type"] == "CREATE"


async def test_media_faults(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    frame = f"{sim.media_url}/media/frame/{camera}/1/frame.jpeg"
    live = f"{sim.media_url}/media/live/{camera}/live.m3u8"
    sim.fail_media("/media/frame/", status=503, times=2)
    assert (await get(http, live, AUTH))[0] == 200  # other prefix
    assert (await get(http, frame, AUTH))[0] == 503
    assert (await get(http, frame, AUTH))[0] == 503
    assert (await get(http, frame, AUTH))[0] == 200
    sim.fail_media(status=404, times=0)
    assert (await get(http, live, AUTH))[0] == 404
    sim.clear_faults()
    assert (await get(http, live, AUTH))[0] == 200
    sim.fail_rest(None, times=0)  # REST faults leave media alone
    assert (await get(http, live, AUTH))[0] == 200


async def test_media_timeout_holds_until_cleared(sim: RhombusSimulator, http) -> None:
    camera = next(iter(sim.cameras))
    sim.fail_media(timeout=True)
    request = asyncio.create_task(
        get(http, f"{sim.media_url}/media/frame/{camera}/1/frame.jpeg", AUTH)
    )
    await asyncio.sleep(0.05)
    assert not request.done()
    sim.clear_faults()
    assert (await request)[0] == 503

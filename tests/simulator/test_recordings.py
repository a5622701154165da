"""The simulator's recordings: V2 alert paging, VOD, saved clips, spliceV3."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import AUTH

HOUR_MS = 3_600_000


async def post(
    http: aiohttp.ClientSession, sim: RhombusSimulator, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST to the simulator (the spec plugin checks both bodies strictly)."""
    async with http.post(f"{sim.rest_url}{path}", json=body, headers=AUTH) as resp:
        assert resp.status == 200
        data: dict[str, Any] = await resp.json()
    return data


async def token(http: aiohttp.ClientSession, sim: RhombusSimulator) -> str:
    url = f"{sim.rest_url}/api/org/generateFederatedSessionToken"
    async with http.post(url, json={"durationSec": 600}, headers=AUTH) as resp:
        data = await resp.json()
    return str(data["federatedSessionToken"])


def camera(sim: RhombusSimulator, index: int = 0) -> str:
    return list(sim.cameras)[index]


async def test_v2_pages_newest_first_across_stored_and_generated_alerts(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam, other = camera(sim), camera(sim, 1)
    newest = int(time.time() * 1000) - HOUR_MS
    sim.add_alert_history(cam, 10_000, newest_ms=newest, spacing_ms=1_000)
    sim.add_alert_history(other, 5, newest_ms=newest, spacing_ms=1_000)
    stored = await sim.emit_alert(cam, timestamp_ms=newest - 2_500)
    path = "/api/event/getPolicyAlertsV2"

    first = await post(http, sim, path, {"deviceFilter": [cam], "maxResults": 4})
    alerts = first["policyAlerts"]
    stamps = [a["timestampMs"] for a in alerts]
    assert stamps == [newest, newest - 1_000, newest - 2_000, newest - 2_500]
    assert alerts[3]["uuid"] == stored
    assert {a["deviceUuid"] for a in alerts} == {cam}
    assert first["oldestPolicyAlert"] == alerts[-1]

    last = alerts[-1]
    cursor = {"lastTimestampMs": last["timestampMs"], "lastUuid": last["uuid"]}
    second = await post(
        http, sim, path, {"deviceFilter": [cam], "maxResults": 2, **cursor}
    )
    assert [a["timestampMs"] for a in second["policyAlerts"]] == [
        newest - 3_000,
        newest - 4_000,
    ]

    deep = {
        "deviceFilter": [cam],
        "maxResults": 3,
        "beforeTimestampMs": newest - 9_998_500,
    }
    tail = await post(http, sim, path, deep)
    assert [a["timestampMs"] for a in tail["policyAlerts"]] == [newest - 9_999_000]

    window = {"maxResults": 50, "afterTimestampMs": newest - 1_000}
    recent = await post(http, sim, path, window)
    assert len(recent["policyAlerts"]) == 4  # two per camera, after is inclusive


async def test_generated_alerts_have_thumbnails(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam = camera(sim)
    sim.add_alert_history(cam, 3, triggers=("MOTION_CAR",))
    page = await post(http, sim, "/api/event/getPolicyAlertsV2", {"maxResults": 1})
    alert = page["policyAlerts"][0]
    url = f"{sim.media_url}/media/metadata/us-west-2/{alert['uuid']}.jpeg"
    async with http.get(url, headers=AUTH) as resp:
        assert resp.status == 200
        assert (await resp.read()).startswith(b"\xff\xd8\xff")


async def test_vod_playlist_for_a_past_window(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam = camera(sim)
    uris = await post(http, sim, "/api/camera/getMediaUris", {"cameraUuid": cam})
    template = uris["wanVodM3u8UriTemplate"]
    assert "{START_TIME}" in template
    assert "{DURATION}" in template
    start = int(time.time()) - 86_400
    url = template.replace("{START_TIME}", str(start)).replace("{DURATION}", "9")
    auth = f"x-auth-scheme=federated-token&x-auth-ft={await token(http, sim)}"
    async with http.get(f"{url}?{auth}") as resp:
        assert resp.status == 200
        assert resp.content_type == "application/vnd.apple.mpegurl"
        playlist = await resp.text()
    segments = [line for line in playlist.splitlines() if line.startswith("seg_")]
    assert len(segments) == 5  # 9 s in 2 s segments
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    async with http.get(url.rsplit("/", 1)[0] + "/" + segments[-1]) as resp:
        assert resp.status == 200
        assert resp.content_type == "video/mp2t"
        assert cam.encode() in await resp.read()


@pytest.mark.parametrize("case", ["retention", "gap", "future", "unknown camera"])
async def test_vod_without_footage_is_404(
    http: aiohttp.ClientSession, sim: RhombusSimulator, case: str
) -> None:
    cam = camera(sim)
    now = int(time.time())
    start = {"retention": now - 31 * 86_400, "future": now + 60}.get(case, now - 600)
    if case == "gap":
        sim.add_footage_gap(cam, (now - 700) * 1000, (now - 595) * 1000)
    if case == "unknown camera":
        cam = "NoSuchCameraAAAAAAAAAA"
    url = f"{sim.media_url}/media/vod/{cam}/{start}/10/vod/file.m3u8"
    async with http.get(url, headers=AUTH) as resp:
        assert resp.status == 404


async def test_vod_refuses_an_expired_token(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    start = int(time.time()) - 600
    url = f"{sim.media_url}/media/vod/{camera(sim)}/{start}/10/vod/file.m3u8"
    value = await token(http, sim)
    query = f"x-auth-scheme=federated-token&x-auth-ft={value}"
    async with http.get(f"{url}?{query}") as resp:
        assert resp.status == 200
    sim.expire_tokens()
    async with http.get(f"{url}?{query}") as resp:
        assert resp.status == 401
    assert sim.media_calls("/media/vod/") == 2


async def test_splice_saves_a_clip_that_lists_and_plays(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam = camera(sim)
    start_ms = int(time.time() * 1000) - HOUR_MS
    body = {
        "deviceUuids": [cam],
        "startTimeMillis": start_ms,
        "durationSec": 30,
        "title": "Porch",
        "saveToConsole": True,
    }
    made = await post(http, sim, "/api/video/spliceV3", body)
    assert made["clipUuidList"] == [made["clipUuid"]]
    assert sim.splice_requests == [body]

    listed = await post(http, sim, "/api/event/getSavedClipsV2", {"maxPageSize": 10})
    clip = listed["savedClips"][0]
    assert (clip["uuid"], clip["title"], clip["deviceUuid"]) == (
        made["clipUuid"],
        "Porch",
        f"{cam}.v0",  # a DeviceFacetUuid, as the spec declares it
    )
    assert listed["lastEvaluatedTimestampMs"] is None  # no more pages
    base = f"{sim.media_url}/media/metadata/{cam}/us-west-2/{clip['uuid']}/"
    async with http.get(f"{base}clip.m3u8", headers=AUTH) as resp:
        assert resp.status == 200
        variant = (await resp.text()).splitlines()[-1]  # a multivariant playlist
    async with http.get(f"{base}{variant}", headers=AUTH) as resp:
        playlist = await resp.text()
    assert playlist.count("#EXTINF") == 15
    segment = playlist.splitlines()[-2]
    assert segment == f"{base}seg_14.ts"  # listed by absolute URL
    async with http.get(segment, headers=AUTH) as resp:
        assert resp.status == 200


async def test_splice_enforces_the_org_maximum(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    sim.set_max_splice_seconds(120)
    limit = await post(http, sim, "/api/video/getMaxSpliceDuration", {})
    assert limit["maxDuration"] == 120
    body = {"deviceUuids": [camera(sim)], "startTimeMillis": 1, "durationSec": 121}
    refused = await post(http, sim, "/api/video/spliceV3", body)
    assert refused["error"] is True
    assert sim.saved_clips == {}


async def test_saved_clips_page_by_creation_time(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam = camera(sim)
    for created in (1_000, 3_000, 2_000):
        sim.add_saved_clip(cam, created, created_at_ms=created)
    path = "/api/event/getSavedClipsV2"
    first = await post(http, sim, path, {"maxPageSize": 2})
    assert [c["createdAtMs"] for c in first["savedClips"]] == [3_000, 2_000]
    page = first["lastEvaluatedTimestampMs"]
    second = await post(http, sim, path, {"maxPageSize": 2, "pageTimestampMs": page})
    assert [c["createdAtMs"] for c in second["savedClips"]] == [1_000]
    assert second["lastEvaluatedTimestampMs"] is None


async def test_unfinished_clip_does_not_play(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> None:
    cam = camera(sim)
    uuid = sim.add_saved_clip(cam, 1_000, status="RENDERING")
    url = f"{sim.media_url}/media/metadata/{cam}/us-west-2/{uuid}/clip.m3u8"
    async with http.get(url, headers=AUTH) as resp:
        assert resp.status == 404

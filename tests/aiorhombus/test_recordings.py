"""Recordings and clips: alert pages, VOD playlists, tokens, saved clips, spliceV3."""

from __future__ import annotations

import time
import traceback

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.rhombus.aiorhombus import (
    MAX_SPLICE_SECONDS,
    AlertCursor,
    Endpoints,
    FederatedToken,
    PolicyAlert,
    RhombusApiError,
    RhombusAuthError,
    RhombusClipsClient,
    RhombusFootageClient,
    RhombusMediaClient,
    RhombusNoFootageError,
    RhombusProtocolError,
    RhombusRecordingsClient,
    RhombusRestClient,
    SavedClip,
)
from custom_components.rhombus.aiorhombus.clips import saved_clip_playlist_url
from custom_components.rhombus.aiorhombus.recordings import (
    MAX_ALERTS_PER_PAGE,
    fill_vod_template,
)
from simulator import RhombusSimulator

from .conftest import KEY

ALERTS = "/api/event/getPolicyAlertsV2"
TOKENS = "/api/org/generateFederatedSessionToken"
HOUR_MS = 3_600_000


@pytest.fixture
def checked(sim: RhombusSimulator) -> RhombusSimulator:
    """The simulator (the spec plugin checks every exchange strictly)."""
    return sim


@pytest.fixture
def rest(checked: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusRestClient:
    return RhombusRestClient(http, KEY, checked.rest_url)


@pytest.fixture
def media(
    checked: RhombusSimulator, http: aiohttp.ClientSession, rest: RhombusRestClient
) -> RhombusMediaClient:
    endpoints = Endpoints(
        rest_url=checked.rest_url, websocket_url="", media_url=checked.media_url
    )
    return RhombusMediaClient(rest, http, endpoints)


@pytest.fixture
def recordings(
    rest: RhombusRestClient, media: RhombusMediaClient
) -> RhombusRecordingsClient:
    return RhombusRecordingsClient(rest, media)


@pytest.fixture
def footage(
    media: RhombusMediaClient, http: aiohttp.ClientSession
) -> RhombusFootageClient:
    return RhombusFootageClient(media, http)


@pytest.fixture
def clips(rest: RhombusRestClient) -> RhombusClipsClient:
    return RhombusClipsClient(rest)


def camera(sim: RhombusSimulator, index: int = 0) -> str:
    return list(sim.cameras)[index]


async def fetch(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as resp:
        return resp.status, await resp.text()


async def test_pages_of_a_10000_alert_camera_cost_one_call_each(
    checked: RhombusSimulator, recordings: RhombusRecordingsClient
) -> None:
    cam = camera(checked)
    newest = int(time.time() * 1000) - HOUR_MS
    checked.add_alert_history(cam, 10_000, newest_ms=newest, spacing_ms=30_000)
    checked.add_alert_history(camera(checked, 1), 100, newest_ms=newest + 1)

    seen: list[PolicyAlert] = []
    cursor: AlertCursor | None = None
    for page_number in range(1, 4):
        page = await recordings.get_alert_page([cam], older_than=cursor)
        assert checked.calls(ALERTS) == page_number
        assert len(page.alerts) == MAX_ALERTS_PER_PAGE
        assert page.older is not None
        seen.extend(page.alerts)
        cursor = page.older

    stamps = [alert.timestamp_ms for alert in seen]
    assert stamps == [newest - i * 30_000 for i in range(150)]  # newest first, no gap
    assert {alert.device_uuid for alert in seen} == {cam}
    assert seen[0].triggers == ("MOTION_HUMAN",)
    assert seen[0].thumbnail_region == "us-west-2"
    bodies = [r.body for r in checked.requests if r.path == ALERTS]
    assert bodies[0] == {"maxResults": 50, "deviceFilter": [cam]}
    assert bodies[1]["lastTimestampMs"] == stamps[49]
    assert bodies[1]["lastUuid"] == seen[49].uuid


async def test_the_last_page_has_no_older_cursor(
    checked: RhombusSimulator, recordings: RhombusRecordingsClient
) -> None:
    cam = camera(checked)
    checked.add_alert_history(cam, 70)
    first = await recordings.get_alert_page([cam])
    last = await recordings.get_alert_page([cam], older_than=first.older)
    assert len(last.alerts) == 20
    assert last.older is None
    assert {a.uuid for a in first.alerts}.isdisjoint(a.uuid for a in last.alerts)


async def test_time_window_filters(
    checked: RhombusSimulator, recordings: RhombusRecordingsClient
) -> None:
    cam = camera(checked)
    t = 1_750_000_000_000  # 2025-06-15
    checked.add_alert_history(cam, 100, newest_ms=t + 1_000_000, spacing_ms=1_000)
    page = await recordings.get_alert_page(
        [cam], before_ms=t + 990_000, after_ms=t + 985_000, max_results=10
    )
    assert [a.timestamp_ms for a in page.alerts] == list(
        range(t + 989_000, t + 984_000, -1_000)
    )


async def test_page_size_over_50_is_refused_before_any_call(
    checked: RhombusSimulator, recordings: RhombusRecordingsClient
) -> None:
    with pytest.raises(ValueError, match="max_results"):
        await recordings.get_alert_page(max_results=51)
    assert checked.calls(ALERTS) == 0


@pytest.mark.parametrize(
    "item",
    [None, "x", {}, {"uuid": "a"}, {"uuid": "a", "timestampMs": "1"}, {"uuid": 3}],
)
def test_malformed_alerts_are_skipped(item: object) -> None:
    assert PolicyAlert.from_api(item) is None


def test_odd_alert_fields_are_tolerated() -> None:
    alert = PolicyAlert.from_api(
        {
            "uuid": "a",
            "timestampMs": 5.0,
            "durationSec": -3,
            "policyAlertTriggers": ["MOTION_CAR", 7, ""],
            "thumbnailLocation": "us-east-2",
        }
    )
    assert alert is not None
    assert (alert.timestamp_ms, alert.duration_sec) == (5, 0)
    assert alert.triggers == ("MOTION_CAR",)
    assert alert.thumbnail_region is None


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "https://h/v/{START_TIME}/{DURATION}/vod/file.m3u8",
            "https://h/v/1700/30/vod/file.m3u8",
        ),
        ("https://h/vod/{timestamp}.m3u8", "https://h/vod/1700.m3u8"),
    ],
)
def test_vod_template_placeholders(template: str, expected: str) -> None:
    assert fill_vod_template(template, 1_700_999, 30) == expected


def test_vod_template_without_a_start_is_a_protocol_error() -> None:
    with pytest.raises(RhombusProtocolError):
        fill_vod_template("https://h/vod/file.m3u8", 1_000, 30)
    with pytest.raises(ValueError, match="duration"):
        fill_vod_template("https://h/{START_TIME}", 1_000, 0)


async def test_vod_playlist_of_the_window_is_fetched_with_a_token(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    footage: RhombusFootageClient,
) -> None:
    cam = camera(checked, 2)
    start_ms = int(time.time() * 1000) - 2 * HOUR_MS
    url = await recordings.vod_playlist_url(cam, start_ms, 20)
    assert url.endswith(f"/media/vod/{cam}/{start_ms // 1000}/20/vod/file.m3u8")
    assert "x-auth" not in url  # the URL itself holds no token
    playlist = await footage.get_footage(url)
    assert playlist.count("#EXTINF") == 10
    # The segment is fetched the same way, the token added here.
    segment = url.rsplit("/", 1)[0] + "/seg_9.ts"
    async with footage.open_media(segment) as resp:
        assert cam.encode() in await resp.read()
    fetched = checked.media_requests[-1]
    assert "x-auth-apikey" not in fetched.headers  # the token, not the key

    await recordings.vod_playlist_url(cam, start_ms - HOUR_MS, 10)
    await footage.get_footage(url)
    assert checked.calls("/api/camera/getMediaUris") == 1  # template kept
    assert checked.calls(TOKENS) == 1  # one token for every playlist


async def test_a_refused_token_is_renewed_once(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    footage: RhombusFootageClient,
) -> None:
    cam = camera(checked)
    start_ms = int(time.time() * 1000) - HOUR_MS
    url = await recordings.vod_playlist_url(cam, start_ms, 10)
    await footage.get_footage(url)
    old = footage.last_token
    checked.expire_tokens()
    await footage.get_footage(url)
    assert footage.last_token != old
    assert checked.calls(TOKENS) == 2
    checked.expire_tokens()
    async with footage.open_media(url.rsplit("/", 1)[0] + "/seg_0.ts") as resp:
        assert resp.status == 200
    assert checked.calls(TOKENS) == 3
    assert "x-auth-ft" not in repr(footage)


async def test_a_shared_token_source_is_used_and_asked_to_renew(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    media: RhombusMediaClient,
    http: aiohttp.ClientSession,
) -> None:
    """An application's own token (shared with its streams) signs the playlists."""
    asked: list[bool] = []
    shared: list[FederatedToken] = []

    async def tokens(renew: bool) -> FederatedToken:
        asked.append(renew)
        if renew or not shared:
            shared.append(await media.create_federated_token(600))
        return shared[-1]

    footage = RhombusFootageClient(media, http, tokens=tokens)
    cam = camera(checked)
    url = await recordings.vod_playlist_url(cam, int(time.time() * 1000) - HOUR_MS, 10)
    await footage.get_footage(url)
    checked.expire_tokens()
    await footage.get_footage(url)
    assert asked == [False, False, True]
    assert checked.calls(TOKENS) == 2


async def test_a_token_is_renewed_before_it_expires(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    footage: RhombusFootageClient,
    freezer: FrozenDateTimeFactory,
) -> None:
    cam = camera(checked)
    url = await recordings.vod_playlist_url(cam, int(time.time() * 1000) - HOUR_MS, 10)
    await footage.get_footage(url)
    freezer.tick(3_000)  # past 80 % of an hour
    await footage.get_footage(url)
    assert checked.calls(TOKENS) == 2


async def test_a_token_the_host_keeps_refusing_is_an_auth_error(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    footage: RhombusFootageClient,
) -> None:
    checked.fail_media("/media/vod/", status=403, times=2)
    start_ms = int(time.time() * 1000) - HOUR_MS
    url = await recordings.vod_playlist_url(camera(checked), start_ms, 10)
    with pytest.raises(RhombusAuthError) as caught:
        await footage.get_footage(url)
    printed = "".join(traceback.format_exception(caught.value))
    assert all(token not in printed for token in checked.federated_tokens)
    assert checked.calls(TOKENS) == 2


@pytest.mark.parametrize("case", ["offline", "retention"])
async def test_no_footage_is_its_own_error(
    checked: RhombusSimulator,
    recordings: RhombusRecordingsClient,
    footage: RhombusFootageClient,
    case: str,
) -> None:
    cam = camera(checked)
    start_ms = int(time.time() * 1000) - HOUR_MS
    if case == "offline":
        checked.add_footage_gap(cam, start_ms - 60_000, start_ms + 5_000)
    else:
        checked.set_retention_days(0)
    with pytest.raises(RhombusNoFootageError):
        await footage.get_footage(await recordings.vod_playlist_url(cam, start_ms, 10))
    assert checked.calls(TOKENS) == 1  # not mistaken for a token problem


async def test_saved_clips_list_and_play(
    checked: RhombusSimulator,
    clips: RhombusClipsClient,
    footage: RhombusFootageClient,
) -> None:
    """Clips name their camera as a DeviceFacetUuid: the facet is dropped."""
    cam = camera(checked)
    now = int(time.time() * 1000)
    done = checked.add_saved_clip(cam, now, 8, title="Gate", created_at_ms=now)
    checked.add_saved_clip(cam, now, 8, status="RENDERING", created_at_ms=now + 1)
    assert checked.saved_clips[done]["deviceUuid"] == f"{cam}.v0"
    page = await clips.get_saved_clips()
    assert [c.status for c in page.clips] == ["RENDERING", "COMPLETE"]
    assert page.next_page_ms is None
    clip = page.clips[1]
    assert (clip.uuid, clip.title, clip.device_uuid, clip.playable) == (
        done,
        "Gate",
        cam,
        True,
    )
    assert not page.clips[0].playable
    playlist = await footage.get_footage(
        saved_clip_playlist_url(checked.media_url, clip)
    )
    assert "#EXT-X-STREAM-INF" in playlist  # a multivariant playlist
    with pytest.raises(RhombusNoFootageError):
        await footage.get_footage(
            saved_clip_playlist_url(checked.media_url, page.clips[0])
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("createdAtMs", 4_102_444_800_000),  # 2100
        ("timestampMs", -5_000),
        ("createdAtMs", 10**30),
    ],
)
async def test_clips_dated_absurdly_are_skipped_and_said_once(
    checked: RhombusSimulator,
    clips: RhombusClipsClient,
    caplog: pytest.LogCaptureFixture,
    field: str,
    value: int,
) -> None:
    cam = camera(checked)
    now = int(time.time() * 1000)
    good = checked.add_saved_clip(cam, now - HOUR_MS, created_at_ms=now)
    bad = checked.add_saved_clip(cam, now - HOUR_MS, created_at_ms=now - 1)
    checked.saved_clips[bad][field] = value
    for _ in range(2):
        page = await clips.get_saved_clips()
        assert [c.uuid for c in page.clips] == [good]
    said = [r.levelname for r in caplog.records if "Skipped" in r.getMessage()]
    assert said == ["WARNING", "DEBUG"]


async def test_saved_clip_pages(
    checked: RhombusSimulator, clips: RhombusClipsClient
) -> None:
    t = 1_750_000_000_000  # 2025-06-15
    for created in range(1, 6):
        checked.add_saved_clip(camera(checked), t, created_at_ms=t + created * 1_000)
    first = await clips.get_saved_clips(max_page_size=3)
    second = await clips.get_saved_clips(max_page_size=3, page_ms=first.next_page_ms)
    assert [c.created_at_ms for c in first.clips + second.clips] == [
        t + 5_000,
        t + 4_000,
        t + 3_000,
        t + 2_000,
        t + 1_000,
    ]
    assert second.next_page_ms is None


def test_a_clip_without_location_has_no_url() -> None:
    clip = SavedClip.from_api({"uuid": "c", "deviceUuids": ["d"]})
    assert clip is not None
    assert clip.device_uuid == "d"
    with pytest.raises(RhombusProtocolError):
        saved_clip_playlist_url("https://m", clip)
    assert SavedClip.from_api({"title": "no uuid"}) is None


async def test_splice_saves_once_and_returns_the_uuid(
    checked: RhombusSimulator, clips: RhombusClipsClient
) -> None:
    cam = camera(checked)
    start_ms = int(time.time() * 1000) - HOUR_MS
    uuid = await clips.splice(cam, start_ms, 45, title="Delivery")
    assert checked.calls("/api/video/spliceV3") == 1
    assert checked.splice_requests == [
        {
            "deviceUuids": [cam],
            "startTimeMillis": start_ms,
            "durationSec": 45,
            "saveToConsole": True,
            "title": "Delivery",
        }
    ]
    assert checked.saved_clips[uuid]["title"] == "Delivery"
    await clips.splice(cam, start_ms, 5)
    assert "title" not in checked.splice_requests[1]


async def test_splice_duration_limit(
    checked: RhombusSimulator, clips: RhombusClipsClient
) -> None:
    cam = camera(checked)
    with pytest.raises(ValueError, match="duration"):
        await clips.splice(cam, 1_000, MAX_SPLICE_SECONDS + 1)
    with pytest.raises(ValueError, match="duration"):
        await clips.splice(cam, 1_000, 0)
    assert checked.calls("/api/video/spliceV3") == 0

    checked.set_max_splice_seconds(60)
    assert await clips.get_max_splice_duration() == 60
    with pytest.raises(RhombusApiError):  # the org's own limit, enforced by Rhombus
        await clips.splice(cam, 1_000, 61)
    assert checked.saved_clips == {}

"""Recordings: VOD playlists, saved clips and spliceV3.

REST: ``event/getSavedClipsV2``
(newest ``createdAtMs`` first; ``pageTimestampMs`` returns the clips created
before it; ``lastEvaluatedTimestampMs`` is the page's last ``createdAtMs`` when
more may follow), ``video/spliceV3`` (a COMPLETE clip at once) and
``video/getMaxSpliceDuration``.

Media (through `MediaApi`, so requests are recorded, faults apply and a
federated token must be live): ``/media/vod/<camera>/<start s>/<duration s>/vod/
file.m3u8`` and its ``seg_<n>.ts``; a saved clip's ``/media/metadata/<device>/
<region>/<clip>/clip.m3u8`` (a multivariant playlist naming ``clip_media.m3u8``,
which lists its segments by absolute URL; VOD playlists list them relative).
Saved clips name their camera as a ``DeviceFacetUuid`` (``<camera>.v0``). A
window with no footage (older than the retention, in the future, or overlapping
a gap set with `add_footage_gap`) answers 404, as a media host does for a file
it does not have (inferred).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import time
from typing import Any

from aiohttp import web

from .history import AlertHistory, AlertHistoryApi, optional_int
from .images import ts_segment
from .rest import Endpoint, envelope
from .world import MEDIA_REGION, BadRequestError, World

SEGMENT_SECONDS = 2
RETENTION_DAYS = 30
MAX_SPLICE_SECONDS = 3600
DEFAULT_PAGE_SIZE = 100
VOD_TEMPLATE = "/media/vod/{camera}/{{START_TIME}}/{{DURATION}}/vod/file.m3u8"
HLS = "application/vnd.apple.mpegurl"


class RecordingsApi:
    """The recordings REST endpoints and media routes of one simulator."""

    def __init__(self, world: World) -> None:
        """Bind to the shared world; nothing generated yet."""
        self.world = world
        self.history = AlertHistoryApi(world)
        self.saved_clips: dict[str, dict[str, Any]] = {}
        self.splice_requests: list[dict[str, Any]] = []
        self.footage_gaps: dict[str, list[tuple[int, int]]] = {}
        self.retention_days = RETENTION_DAYS
        self.max_splice_seconds = MAX_SPLICE_SECONDS

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The REST endpoints this module answers."""
        return {
            **self.history.rest_endpoints(),
            "/api/event/getSavedClipsV2": self._get_saved_clips,
            "/api/video/spliceV3": self._splice,
            "/api/video/getMaxSpliceDuration": self._max_splice,
        }

    # --- saved clips and splicing -------------------------------------------

    def add_clip(
        self,
        camera_uuid: str,
        start_ms: int,
        duration_sec: int,
        *,
        title: str | None = None,
        status: str = "COMPLETE",
        created_at_ms: int | None = None,
    ) -> dict[str, Any]:
        """Store a saved clip (``SavedClipV2Type`` subset) and return it."""
        region = {"region": MEDIA_REGION}
        facet = f"{camera_uuid.partition('.')[0]}.v0"  # DeviceFacetUuid, as listed
        clip: dict[str, Any] = {
            "uuid": self.world.names.ruuid(),
            "orgUuid": self.world.org_uuid,
            "deviceUuid": facet,
            "deviceUuids": [facet],
            "title": title,
            "description": None,
            "timestampMs": start_ms,
            "durationSec": duration_sec,
            "createdAtMs": created_at_ms or int(time.time() * 1000),
            "status": status,
            "clipLocation": dict(region),
            "thumbnailLocation": dict(region),
        }
        self.saved_clips[clip["uuid"]] = clip
        return clip

    def _get_saved_clips(self, body: Mapping[str, Any]) -> dict[str, Any]:
        size = optional_int(body, "maxPageSize") or DEFAULT_PAGE_SIZE
        page = optional_int(body, "pageTimestampMs")
        clips = sorted(
            (
                c
                for c in self.saved_clips.values()
                if page is None or c["createdAtMs"] < page
            ),
            key=lambda c: (c["createdAtMs"], c["uuid"]),
            reverse=True,
        )[: max(size, 1)]
        more = len(clips) >= max(size, 1)
        last = clips[-1]["createdAtMs"] if clips and more else None
        return envelope(savedClips=clips, lastEvaluatedTimestampMs=last)

    def _splice(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self.splice_requests.append(dict(body))
        devices = body.get("deviceUuids")
        start = optional_int(body, "startTimeMillis")
        duration = optional_int(body, "durationSec")
        title = body.get("title")
        if not isinstance(devices, list) or not devices or start is None:
            raise BadRequestError("deviceUuids and startTimeMillis are required")
        if duration is None or not 0 < duration <= self.max_splice_seconds:
            return {
                "error": True,
                "errorMsg": "Invalid splice duration",
                "warningMsg": None,
            }
        cameras = [str(d).partition(".")[0] for d in devices]
        if any(camera not in self.world.cameras for camera in cameras):
            return {"error": True, "errorMsg": "Device not found", "warningMsg": None}
        uuids = [
            self.add_clip(
                d, start, duration, title=title if isinstance(title, str) else None
            )["uuid"]
            for d in cameras
        ]
        return envelope(clipUuid=uuids[0], clipUuidList=uuids)

    def _max_splice(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(maxDuration=self.max_splice_seconds)

    # --- media ----------------------------------------------------------------

    def has_footage(self, camera_uuid: str, start_s: int, duration_s: int) -> bool:
        """Whether the camera recorded the whole window."""
        now = time.time()
        end = start_s + duration_s
        if camera_uuid not in self.world.cameras or duration_s <= 0 or end > now:
            return False
        if start_s < now - self.retention_days * 86_400:
            return False
        return not any(
            start_s * 1000 < gap_end and gap_start < end * 1000
            for gap_start, gap_end in self.footage_gaps.get(camera_uuid, ())
        )

    def route(self, request: web.Request) -> web.Response | None:
        """Answer an authorised media GET this module owns (None: not ours)."""
        if (thumbnail := self.history.route(request)) is not None:
            return thumbnail
        suffix = f"?{request.query_string}" if "x-auth-ft" in request.query else ""
        match request.path.split("/")[2:]:
            case ["vod", camera, start, duration, "vod", name]:
                return self._vod(camera, start, duration, name, suffix)
            case ["metadata", device, region, clip_uuid, name]:
                base = f"{request.url.origin()}{request.path.rpartition('/')[0]}/"
                return self._clip(device, region, clip_uuid, name, suffix, base)
        return None

    def _vod(
        self, camera: str, start: str, duration: str, name: str, suffix: str
    ) -> web.Response:
        if not (start.isdigit() and duration.isdigit()):
            return _not_found()
        if not self.has_footage(camera, int(start), int(duration)):
            return _not_found()
        return _media(name, f"{camera} {start}", int(duration), suffix)

    def _clip(  # noqa: PLR0917
        self,
        device: str,
        region: str,
        clip_uuid: str,
        name: str,
        suffix: str,
        base: str,
    ) -> web.Response:
        clip = self.saved_clips.get(clip_uuid)
        playable = (
            clip is not None
            and clip["deviceUuid"].partition(".")[0] == device
            and clip["clipLocation"] == {"region": region}
            and clip["status"] == "COMPLETE"
        )
        if clip is None or not playable:
            return _not_found()
        if name == "clip.m3u8":
            return web.Response(text=_multivariant(suffix), content_type=HLS)
        if name == "clip_media.m3u8":
            count = max(1, -(-clip["durationSec"] // SEGMENT_SECONDS))
            return web.Response(text=_playlist(count, suffix, base), content_type=HLS)
        return _media(name, clip_uuid, clip["durationSec"], suffix)


def _not_found() -> web.Response:
    return web.Response(status=404, text="Not Found")


def _media(name: str, label: str, duration: int, suffix: str) -> web.Response:
    count = max(1, -(-duration // SEGMENT_SECONDS))
    if name == "file.m3u8":
        return web.Response(text=_playlist(count, suffix), content_type=HLS)
    sequence = name.removeprefix("seg_").removesuffix(".ts")
    if name.startswith("seg_") and sequence.isdigit() and int(sequence) < count:
        body = ts_segment(f"{label} {sequence}")
        return web.Response(body=body, content_type="video/mp2t")
    return _not_found()


def _multivariant(suffix: str) -> str:
    lines = [
        "#EXTM3U",
        '#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.640028"',
        f"clip_media.m3u8{suffix}",
    ]
    return "\n".join(lines) + "\n"


def _playlist(count: int, suffix: str, base: str = "") -> str:
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
        "#EXT-X-MEDIA-SEQUENCE:0",
    ]
    for sequence in range(count):
        uri = f"{base}seg_{sequence}.ts{suffix}"
        lines += [f"#EXTINF:{SEGMENT_SECONDS}.000,", uri]
    return "\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n"


class RecordingsControls:
    """The recordings half of `RhombusSimulator`'s API."""

    _recordings: RecordingsApi

    def add_alert_history(
        self,
        camera_uuid: str,
        count: int,
        *,
        newest_ms: int | None = None,
        spacing_ms: int = 60_000,
        triggers: Iterable[str] = ("MOTION_HUMAN",),
    ) -> None:
        """Give a camera ``count`` past alerts, generated only when listed."""
        if count <= 0 or spacing_ms <= 0:
            raise ValueError("count and spacing_ms must be positive")
        newest = (
            int(time.time() * 1000) - spacing_ms if newest_ms is None else newest_ms
        )
        history = AlertHistory(camera_uuid, count, newest, spacing_ms, tuple(triggers))
        self._recordings.history.histories.append(history)

    def add_saved_clip(
        self,
        camera_uuid: str,
        start_ms: int,
        duration_sec: int = 30,
        *,
        title: str | None = None,
        status: str = "COMPLETE",
        created_at_ms: int | None = None,
    ) -> str:
        """Store a saved clip; return its uuid."""
        clip = self._recordings.add_clip(
            camera_uuid,
            start_ms,
            duration_sec,
            title=title,
            status=status,
            created_at_ms=created_at_ms,
        )
        return str(clip["uuid"])

    @property
    def saved_clips(self) -> dict[str, dict[str, Any]]:
        """Saved clips by uuid (mutable)."""
        return self._recordings.saved_clips

    @property
    def splice_requests(self) -> list[dict[str, Any]]:
        """Every ``video/spliceV3`` body received, in order."""
        return self._recordings.splice_requests

    def add_footage_gap(self, camera_uuid: str, start_ms: int, end_ms: int) -> None:
        """The camera recorded nothing in ``[start_ms, end_ms)`` (it was offline)."""
        self._recordings.footage_gaps.setdefault(camera_uuid, []).append(
            (start_ms, end_ms)
        )

    def set_retention_days(self, days: int) -> None:
        """Footage older than this is gone (default 30)."""
        self._recordings.retention_days = days

    def set_max_splice_seconds(self, seconds: int) -> None:
        """What ``getMaxSpliceDuration`` answers and ``spliceV3`` enforces."""
        self._recordings.max_splice_seconds = seconds

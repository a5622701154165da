"""Media: frames, alert thumbnails, a live HLS playlist and federated tokens.

REST side (``POST /api/...``): ``video/getExactFrameUri``, ``camera/getMediaUris``
and ``org/generateFederatedSessionToken``. Media side (``GET /media/...``), authorised
by the API-key headers or by a federated token (``x-auth-scheme=federated-token`` and
``x-auth-ft``, as query parameters or headers) that has not expired; the clock is
``time.time()``, so a test's freezer moves it. Order per media request: record it,
apply an armed media fault, check auth, answer.
"""

from __future__ import annotations

from collections.abc import Mapping
import time
from typing import Any

from aiohttp import web

from .faults import FaultPlan, error_response
from .images import frame_jpeg, thumbnail_jpeg, ts_segment
from .rest import Endpoint, RecordedRequest, envelope
from .world import BadRequestError, World

FEDERATED_SCHEME = "federated-token"
MAX_TOKEN_SECONDS = 86_400
SEGMENT_SECONDS = 2
PLAYLIST_SEGMENTS = 3


class TokenStore:
    """Federated session tokens and when each expires (epoch seconds)."""

    def __init__(self, world: World) -> None:
        """Draw token values from the world's seeded generator."""
        self._world = world
        self.expiry: dict[str, float] = {}

    def issue(self, duration_sec: int) -> str:
        """Create a token valid for ``duration_sec`` from now."""
        token = self._world.names.ruuid()
        self.expiry[token] = time.time() + duration_sec
        return token

    def valid(self, token: str | None) -> bool:
        """Whether ``token`` was issued here and has not expired."""
        expires = self.expiry.get(token or "")
        return expires is not None and time.time() < expires


def _camera_uuid(body: Mapping[str, Any]) -> str:
    camera = body.get("cameraUuid")
    if not isinstance(camera, str):
        raise BadRequestError("cameraUuid must be a string")
    return camera


def _int_field(body: Mapping[str, Any], key: str, *, required: bool) -> int | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequestError(f"{key} must be an integer")
    return value


def _not_found(what: str) -> dict[str, Any]:
    return {"error": True, "errorMsg": f"{what} not found", "warningMsg": None}


class MediaApi:
    """The media routes and media REST endpoints of one simulator."""

    def __init__(
        self, world: World, faults: FaultPlan, tokens: TokenStore, base_url: str
    ) -> None:
        """Bind to shared state; URLs handed out point at ``base_url``."""
        self.world = world
        self.faults = faults
        self.tokens = tokens
        self.base_url = base_url
        self.requests: list[RecordedRequest] = []

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The REST endpoints this module answers."""
        return {
            "/api/video/getExactFrameUri": self._get_exact_frame_uri,
            "/api/camera/getMediaUris": self._get_media_uris,
            "/api/org/generateFederatedSessionToken": self._generate_token,
        }

    def add_routes(self, app: web.Application) -> None:
        """Register ``GET /media/...``."""
        app.router.add_get("/media/{tail:.*}", self.handle)

    def _get_exact_frame_uri(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = _camera_uuid(body)
        timestamp_ms = _int_field(body, "timestampMs", required=True)
        for option in ("downscaleFactor", "jpgQuality"):
            _int_field(body, option, required=False)
        if camera not in self.world.cameras:
            return _not_found("Camera")
        uri = f"{self.base_url}/media/frame/{camera}/{timestamp_ms}/frame.jpeg"
        return envelope(frameUri=uri, responseMessage=None)

    def _get_media_uris(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = _camera_uuid(body)
        if camera not in self.world.cameras:
            return _not_found("Camera")
        return envelope(
            wanLiveM3u8Uri=f"{self.base_url}/media/live/{camera}/live.m3u8",
            lanLiveM3u8Uris=[],
        )

    def _generate_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        duration = _int_field(body, "durationSec", required=True)
        if duration is None or not 0 < duration <= MAX_TOKEN_SECONDS:
            raise BadRequestError("durationSec out of range")
        # The spec's response type has this one field: no in-band error fields.
        return {"federatedSessionToken": self.tokens.issue(duration)}

    def authorised(self, request: web.Request) -> bool:
        """API-key headers, or a live federated token in the query or headers."""
        query, headers = request.query, request.headers
        scheme = query.get("x-auth-scheme") or headers.get("x-auth-scheme")
        if scheme == FEDERATED_SCHEME:
            return self.tokens.valid(query.get("x-auth-ft") or headers.get("x-auth-ft"))
        return scheme == "api-token" and headers.get("x-auth-apikey") in (
            self.world.api_keys
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one media GET."""
        headers = {name.lower(): value for name, value in request.headers.items()}
        self.requests.append(RecordedRequest(request.path, headers, None))
        fault = self.faults.take_media_fault(request.path)
        if fault is not None:
            if fault.timeout:
                return await self.faults.hold()
            return error_response(fault.status or 500)
        if not self.authorised(request):
            return error_response(401)
        return self._route(request)

    def _route(self, request: web.Request) -> web.Response:
        match request.path.split("/")[2:]:  # after "", "media"
            case ["frame", camera, timestamp, "frame.jpeg"]:
                return self._frame(camera, timestamp)
            case ["metadata", region, name] if name.endswith(".jpeg"):
                return self._thumbnail(region, name.removesuffix(".jpeg"))
            case ["live", camera, "live.m3u8"]:
                return self._playlist(camera, request)
            case ["live", camera, segment] if segment.startswith("seg_"):
                return self._segment(camera, segment)
        return web.Response(status=404, text="Not Found")

    def _frame(self, camera_uuid: str, timestamp: str) -> web.Response:
        camera = self.world.cameras.get(camera_uuid)
        if camera is None or not timestamp.isdigit():
            return web.Response(status=404, text="Not Found")
        image = frame_jpeg(camera.name, camera.uuid, int(timestamp))
        return web.Response(body=image, content_type="image/jpeg")

    def _thumbnail(self, region: str, alert_uuid: str) -> web.Response:
        alert = self.world.alerts.get(alert_uuid)
        location = alert.get("thumbnailLocation") if alert else None
        if alert is None or location != {"region": region}:
            return web.Response(status=404, text="Not Found")
        triggers = alert.get("policyAlertTriggers") or ["alert"]
        image = thumbnail_jpeg(alert_uuid, str(triggers[0]))
        return web.Response(body=image, content_type="image/jpeg")

    def _playlist(self, camera_uuid: str, request: web.Request) -> web.Response:
        if camera_uuid not in self.world.cameras:
            return web.Response(status=404, text="Not Found")
        # Segment requests need the same authorisation: pass the token along.
        auth = request.query_string if "x-auth-ft" in request.query else ""
        suffix = f"?{auth}" if auth else ""
        newest = int(time.time()) // SEGMENT_SECONDS
        first = newest - PLAYLIST_SEGMENTS + 1
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
        ]
        for sequence in range(first, newest + 1):
            lines += [f"#EXTINF:{SEGMENT_SECONDS}.000,", f"seg_{sequence}.ts{suffix}"]
        return web.Response(
            text="\n".join(lines) + "\n", content_type="application/vnd.apple.mpegurl"
        )

    def _segment(self, camera_uuid: str, segment: str) -> web.Response:
        sequence = segment.removeprefix("seg_").removesuffix(".ts")
        if camera_uuid not in self.world.cameras or not sequence.isdigit():
            return web.Response(status=404, text="Not Found")
        body = ts_segment(f"{camera_uuid} {sequence}")
        return web.Response(body=body, content_type="video/mp2t")


class MediaControls:
    """The media half of `RhombusSimulator`'s API."""

    faults: FaultPlan
    _media: MediaApi
    _tokens: TokenStore

    @property
    def media_requests(self) -> list[RecordedRequest]:
        """Every media GET, in arrival order (paths without their query)."""
        return self._media.requests

    def media_calls(self, prefix: str) -> int:
        """How many media GETs had a path starting with ``prefix``."""
        return sum(1 for r in self._media.requests if r.path.startswith(prefix))

    @property
    def federated_tokens(self) -> dict[str, float]:
        """Issued federated tokens and their expiry (epoch seconds; mutable)."""
        return self._tokens.expiry

    def expire_tokens(self) -> None:
        """Make every federated token issued so far invalid at once."""
        self._tokens.expiry.clear()

    def fail_media(
        self,
        prefix: str | None = None,
        *,
        status: int = 500,
        times: int = 1,
        timeout: bool = False,
    ) -> None:
        """Fail media GETs whose path starts with ``prefix`` (None: all media)."""
        self.faults.add_media_fault(prefix, status, times, timeout=timeout)

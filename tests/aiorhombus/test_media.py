"""The media client: frames, thumbnails, HLS, federated tokens, dismissals."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import time
import traceback

import aiohttp
from aiohttp import web
import pytest

from custom_components.rhombus.aiorhombus import (
    Endpoints,
    FederatedToken,
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusMediaClient,
    RhombusProtocolError,
    RhombusRateLimitError,
    RhombusRestClient,
)
from custom_components.rhombus.aiorhombus.const import DEFAULT_THUMBNAIL_REGION
from custom_components.rhombus.aiorhombus.media import (
    FRAME_AGE_MS,
    alert_thumbnail_url,
    authorise_url,
    redact_url,
)
from simulator import RhombusSimulator

from .helpers import KEY, closed_port, serve

SECRET = "TOKEN-SECRET-456"
type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def assert_no_secrets(err: BaseException) -> None:
    printed = "".join(traceback.format_exception(err)) + repr(err)
    assert KEY not in printed
    assert SECRET not in printed


def media_for(
    http: aiohttp.ClientSession, rest_url: str, media_url: str, **kwargs: float
) -> RhombusMediaClient:
    rest = RhombusRestClient(http, KEY, rest_url)
    endpoints = Endpoints(rest_url=rest_url, websocket_url="", media_url=media_url)
    return RhombusMediaClient(rest, http, endpoints, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def media(sim: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusMediaClient:
    return media_for(http, sim.rest_url, sim.media_url + "/")


class Scripted:
    """A GET server on its own port whose answer each test scripts."""

    def __init__(self) -> None:
        self.handler: Handler | None = None
        self.requests: list[web.Request] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request)
        assert self.handler is not None
        return await self.handler(request)


@pytest.fixture
async def server() -> AsyncGenerator[Scripted]:
    scripted = Scripted()
    app = web.Application()
    app.router.add_get("/{tail:.*}", scripted.handle)
    async with serve(app) as scripted.url:
        yield scripted


def answer(**kwargs: object) -> Handler:
    async def handler(_request: web.Request) -> web.StreamResponse:
        return web.Response(**kwargs)  # type: ignore[arg-type]

    return handler


async def test_frame_a_few_seconds_back(
    sim: RhombusSimulator, media: RhombusMediaClient
) -> None:
    camera = next(iter(sim.cameras))
    image = await media.get_frame(camera, now_ms=100_000, downscale_factor=2)
    assert image.startswith(b"\xff\xd8\xff")
    (request,) = sim.requests
    assert request.body == {
        "cameraUuid": camera,
        "timestampMs": 100_000 - FRAME_AGE_MS,
        "downscaleFactor": 2,
    }
    (fetch,) = sim.media_requests
    assert fetch.path == f"/media/frame/{camera}/{100_000 - FRAME_AGE_MS}/frame.jpeg"
    assert fetch.headers["x-auth-apikey"] == KEY  # the simulator is a configured host
    before = int(time.time() * 1000)
    await media.get_frame(camera, jpg_quality=60)
    body = sim.requests[-1].body
    assert body["jpgQuality"] == 60
    assert before - FRAME_AGE_MS <= body["timestampMs"] <= before


async def test_frame_uri_missing_or_refused(
    sim: RhombusSimulator, media: RhombusMediaClient
) -> None:
    with pytest.raises(RhombusApiError, match="Camera not found"):
        await media.get_frame("unknown")
    sim.fail_rest("/api/video/getExactFrameUri", error_body=None, status=401)
    with pytest.raises(RhombusAuthError):
        await media.get_frame(next(iter(sim.cameras)))


async def test_alert_thumbnail(
    sim: RhombusSimulator, media: RhombusMediaClient
) -> None:
    camera = next(iter(sim.cameras))
    first = await sim.emit_alert(camera)
    second = await sim.emit_alert(camera)
    one = await media.get_alert_thumbnail(first, "us-west-2")
    two = await media.get_alert_thumbnail(second, "us-west-2")
    assert one.startswith(b"\xff\xd8\xff")
    assert one != two
    with pytest.raises(RhombusConnectionError, match="HTTP 404"):
        await media.get_alert_thumbnail(first, "eu-west-1")
    assert sim.media_requests[0].path == f"/media/metadata/us-west-2/{first}.jpeg"


async def test_live_uri_and_federated_token(
    sim: RhombusSimulator, media: RhombusMediaClient, http: aiohttp.ClientSession
) -> None:
    camera = next(iter(sim.cameras))
    live = await media.get_live_hls_uri(camera)
    assert live == f"{sim.media_url}/media/live/{camera}/live.m3u8"
    before = time.time()
    token = await media.create_federated_token(600)
    assert sim.requests[-1].body == {"durationSec": 600}
    assert before <= token.issued_at <= time.time()
    assert token.expires_at == token.issued_at + 600
    assert token.renew_at() == pytest.approx(token.issued_at + 480)
    assert token.token not in repr(token)
    assert live is not None
    async with http.get(authorise_url(live, token)) as resp:  # no key headers
        assert resp.status == 200
        assert token.token in await resp.text()


async def test_live_uri_absent(
    sim: RhombusSimulator, media: RhombusMediaClient
) -> None:
    sim.fail_rest("/api/camera/getMediaUris", status=None, error_body=None)
    with pytest.raises(RhombusConnectionError):
        await media.get_live_hls_uri(next(iter(sim.cameras)))


async def test_shapes_without_the_field(
    cloud, http: aiohttp.ClientSession, server: Scripted
) -> None:
    async def empty(_request: web.Request) -> web.Response:
        return web.json_response({"error": False})

    cloud.rest = empty
    media = media_for(http, cloud.url, server.url)
    assert await media.get_live_hls_uri("C1") is None
    with pytest.raises(RhombusProtocolError, match="no frameUri"):
        await media.get_frame("C1")
    with pytest.raises(RhombusProtocolError, match="no federatedSessionToken"):
        await media.create_federated_token(60)


async def test_dismiss_alert(sim: RhombusSimulator, media: RhombusMediaClient) -> None:
    camera = next(iter(sim.cameras))
    alert = await sim.emit_alert(camera)
    rest = media._rest
    await rest.dismiss_policy_alert(alert)
    assert sim.requests[-1].body == {"alertUuid": alert}
    assert sim.dismissed == [alert]
    with pytest.raises(RhombusApiError, match="Policy alert not found"):
        await rest.dismiss_policy_alert("unknown")


def test_url_helpers() -> None:
    token = FederatedToken(SECRET, 0.0, 100.0)
    assert authorise_url("https://h/p.m3u8", token) == (
        f"https://h/p.m3u8?x-auth-scheme=federated-token&x-auth-ft={SECRET}"
    )
    assert authorise_url("https://h/p.m3u8?a=1#f", token) == (
        f"https://h/p.m3u8?a=1&x-auth-scheme=federated-token&x-auth-ft={SECRET}#f"
    )
    assert redact_url(f"https://h:8/p/x.jpeg?sig={SECRET}") == "https://h:8/p/x.jpeg?…"
    assert redact_url("https://h/p") == "https://h/p"
    assert alert_thumbnail_url("https://m/", "eu-west-1", "A/B") == (
        "https://m/media/metadata/eu-west-1/A%2FB.jpeg"
    )
    assert alert_thumbnail_url("https://m", "../x", "A") == (
        f"https://m/media/metadata/{DEFAULT_THUMBNAIL_REGION}/A.jpeg"
    )
    # "$" would match before a trailing newline: the whole name must match.
    assert alert_thumbnail_url("https://m", "eu-west-1\n", "A") == (
        f"https://m/media/metadata/{DEFAULT_THUMBNAIL_REGION}/A.jpeg"
    )


def test_key_goes_only_to_trusted_hosts(http: aiohttp.ClientSession) -> None:
    media = media_for(http, "http://127.0.0.1:1", "https://media.example:8443")
    headers = media._headers_for
    assert headers("http://127.0.0.1:1/media/x")["x-auth-apikey"] == KEY
    assert headers("https://media.example:8443/x")["x-auth-apikey"] == KEY
    assert headers("https://mediaapi-v2.rhombussystems.com/x")["x-auth-apikey"] == KEY
    assert headers("https://rhombussystems.com/x")["x-auth-apikey"] == KEY
    assert headers("http://mediaapi-v2.rhombussystems.com/x") == {}  # not HTTPS
    assert headers("https://rhombussystems.com.evil.example/x") == {}
    assert headers("https://evilrhombussystems.com/x") == {}
    assert headers("http://127.0.0.1:2/x") == {}  # another port
    assert headers("https://bucket.s3.amazonaws.com/x?sig=1") == {}
    assert KEY not in repr(media)


@pytest.mark.parametrize(
    ("media_url", "url", "allowed"),
    [
        (
            "https://mediaapi-v2.rhombussystems.com",
            "https://mediaapi-v2.rhombussystems.com/v.m3u8",
            True,
        ),
        (
            "https://mediaapi-v2.rhombussystems.com",
            "https://dash.rhombussystems.com/s.ts",
            True,
        ),
        (
            "https://mediaapi-v2.rhombussystems.com",
            "http://mediaapi-v2.rhombussystems.com/v",
            False,
        ),
        ("https://mediaapi-v2.rhombussystems.com", "https://cdn.example/s.ts", False),
        (
            "https://mediaapi-v2.rhombussystems.com",
            "https://rhombussystems.com.evil.example/s",
            False,
        ),
        ("https://media.example:8443", "https://media.example/s.ts", True),
        ("https://media.example:8443", "https://other.rhombussystems.com/s.ts", False),
        ("http://127.0.0.1:1", "http://127.0.0.1:1/media/s.ts", True),
        ("http://127.0.0.1:1", "http://127.0.0.1:2/media/s.ts", False),
        ("http://127.0.0.1:1", "http://10.0.0.1:1/media/s.ts", False),
        ("http://media.lan:1", "http://media.lan:1/media/s.ts", False),
    ],
)
def test_token_goes_only_to_the_media_endpoint(
    http: aiohttp.ClientSession, media_url: str, url: str, allowed: bool
) -> None:
    """HTTPS to the media host; cleartext only to a loopback media endpoint."""
    media = media_for(http, "https://api2.rhombussystems.com", media_url)
    assert media.token_allowed(url) is allowed


async def test_untrusted_host_gets_no_key(
    http: aiohttp.ClientSession, server: Scripted
) -> None:
    server.handler = answer(body=b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
    media = media_for(http, f"http://127.0.0.1:{closed_port()}", "https://m.example")
    assert await media.download(server.url + "/x.jpeg") == b"\xff\xd8\xff\xe0jpeg"
    assert "x-auth-apikey" not in server.requests[0].headers


@pytest.mark.parametrize(
    ("handler", "error", "match"),
    [
        (answer(status=401), RhombusAuthError, "HTTP 401"),
        (answer(status=403), RhombusAuthError, "HTTP 403"),
        (answer(status=429), RhombusRateLimitError, "rate limited"),
        (answer(status=404), RhombusConnectionError, "HTTP 404"),
        (answer(status=500), RhombusConnectionError, "HTTP 500"),
        (
            answer(status=302, headers={"Location": "https://elsewhere/"}),
            RhombusConnectionError,
            "HTTP 302",
        ),
        (answer(text="<html>", content_type="text/html"), RhombusProtocolError, "not"),
        (answer(body=b"x" * 2048), RhombusProtocolError, "too large"),
    ],
)
async def test_download_errors(
    http: aiohttp.ClientSession,
    server: Scripted,
    handler: Handler,
    error: type[Exception],
    match: str,
) -> None:
    server.handler = handler
    media = media_for(http, server.url, server.url, max_bytes=1024)
    with pytest.raises(error, match=match) as info:
        await media.download(f"{server.url}/f.jpeg?sig={SECRET}")
    assert "/f.jpeg?…" in str(info.value)
    assert_no_secrets(info.value)
    assert server.requests[0].headers["x-auth-apikey"] == KEY


async def test_download_size_cap_without_length(
    http: aiohttp.ClientSession, server: Scripted
) -> None:
    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.content_type = "image/jpeg"
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for _ in range(4):
            await resp.write(b"\xff" * 512)
        await resp.write_eof()
        return resp

    server.handler = chunked
    media = media_for(http, server.url, server.url, max_bytes=1024)
    with pytest.raises(RhombusProtocolError, match="too large"):
        await media.download(f"{server.url}/f.jpeg")
    big = media_for(http, server.url, server.url, max_bytes=4096)
    assert len(await big.download(f"{server.url}/f.jpeg")) == 2048


async def test_download_timeout_and_refused(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    media = media_for(http, sim.rest_url, sim.media_url, timeout=0.2)
    sim.fail_media(timeout=True)
    with pytest.raises(RhombusConnectionError, match="timed out") as info:
        await media.download(f"{sim.media_url}/media/x.jpeg?x-auth-ft={SECRET}")
    assert_no_secrets(info.value)
    sim.clear_faults()
    closed = f"http://127.0.0.1:{closed_port()}"
    media = media_for(http, closed, closed)
    with pytest.raises(RhombusConnectionError, match="ClientConnectorError") as info:
        await media.download(f"{closed}/x.jpeg?x-auth-ft={SECRET}")
    assert info.value.__cause__ is None
    assert_no_secrets(info.value)

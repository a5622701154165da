"""`RhombusSimulator`: the in-process fake Rhombus cloud tests and the CLI drive."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import json
import logging
from types import TracebackType
from typing import Any, ClassVar, Self

from aiohttp import WSCloseCode, web
from aiohttp.typedefs import Middleware

from .act_controls import ActControls
from .camera_config import CameraConfigApi
from .camera_config_controls import CameraConfigControls
from .events import ALERT_SHAPES, change_body, delete_body
from .faults import FaultControls, FaultPlan
from .frames import ReceivedFrame
from .identity import IdentityApi, IdentityWorld
from .identity_controls import ALERTING_LISTS, IdentityControls
from .media import MediaApi, MediaControls, TokenStore
from .names import NameGenerator
from .recordings import RecordingsApi, RecordingsControls
from .rest import RecordedRequest, RestApi
from .scenario import Scenario
from .site_api import SiteApi
from .site_controls import SiteControls
from .site_demo import SiteDrift, build_demo_site
from .site_world import SiteWorld
from .stream import StreamHub
from .world import SimCamera, World

_LOGGER = logging.getLogger(__name__)


class RhombusSimulator(
    FaultControls,
    MediaControls,
    RecordingsControls,
    SiteControls,
    IdentityControls,
    CameraConfigControls,
    ActControls,
):
    """REST + STOMP-over-WebSocket fake of one Rhombus org, on one local port."""

    # aiohttp middlewares every simulator's app gets (the tests' spec checks).
    middlewares: ClassVar[tuple[Middleware, ...]] = ()

    def __init__(
        self,
        *,
        cameras: int = 3,
        api_key: str = "sim-api-key",
        org_uuid: str | None = None,
        org_name: str = "Simulated Org",
        seed: int | None = None,
        heartbeat_ms: int = 10_000,
        site: bool = False,
    ) -> None:
        """Build the org, its cameras (and the demo site); nothing listens yet."""
        self.names = NameGenerator(seed)
        self.world = World(
            self.names, org_uuid=org_uuid, org_name=org_name, api_key=api_key
        )
        for _ in range(cameras):
            self.world.add_camera()
        self.faults = FaultPlan()
        self.requests: list[RecordedRequest] = []
        self._rest = RestApi(self.world, self.faults, self.requests, self.emit_delete)
        self._tokens = TokenStore(self.world)
        self._media = MediaApi(self.world, self.faults, self._tokens, base_url="")
        self._rest.endpoints.update(self._media.rest_endpoints())
        self._recordings = RecordingsApi(self.world)
        self._rest.endpoints.update(self._recordings.rest_endpoints())
        self._media.extra_routes.append(self._recordings.route)
        self._hub = StreamHub(self.world, self.faults, heartbeat_ms=heartbeat_ms)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self._scenario: Scenario | None = None
        world = self.world
        self.site = SiteWorld(
            self.names, world.org_uuid, world.location_uuid, world.policy_uuid
        )
        self._site_api = SiteApi(self.site, self._unlock_door)
        self._rest.endpoints.update(self._site_api.rest_endpoints())
        self._rest.async_endpoints.update(self._site_api.async_endpoints())
        self._site_tasks = set()
        self._camera_config = CameraConfigApi(self.world, self.site)
        self._rest.endpoints.update(self._camera_config.rest_endpoints())
        self.unlock_hold_seconds = None
        self._site_drift: SiteDrift | None = None
        self.identity = IdentityWorld(self.names, world.org_uuid, world.location_uuid)
        self.identity_on_stream = True
        self._rest.endpoints.update(IdentityApi(self.identity).rest_endpoints())
        self._install_acts(self._rest)
        if site:
            build_demo_site(self)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        if self._runner is not None:
            raise RuntimeError("simulator already started")
        app = web.Application(middlewares=self.middlewares)
        self._rest.add_routes(app)
        self._media.add_routes(app)
        app.router.add_get("/websocket", self._hub.handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_port = runner.addresses[0][1]
        url_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        url_host = f"[{url_host}]" if ":" in url_host else url_host
        self._base_url = f"http://{url_host}:{bound_port}"
        self._media.base_url = self._base_url

    async def stop(self) -> None:
        """Close every socket, end held requests and tasks, stop listening."""
        await self.stop_scenario()
        await self.stop_site_drift()
        await self._stop_site()
        self.faults.release_held()
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await self._hub.close_all(WSCloseCode.GOING_AWAY)
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start on a free loopback port."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop, leaving nothing behind."""
        await self.stop()

    @property
    def rest_url(self) -> str:
        """Base URL for REST, e.g. ``http://127.0.0.1:PORT``."""
        if self._base_url is None:
            raise RuntimeError("simulator not started")
        return self._base_url

    @property
    def websocket_url(self) -> str:
        """Event stream URL, with the ``x-auth-scheme`` query the CLI uses."""
        return f"ws{self.rest_url[4:]}/websocket?x-auth-scheme=api-token"

    @property
    def media_url(self) -> str:
        """Base URL for media: thumbnails are ``<media_url>/media/metadata/...``."""
        return self.rest_url

    @property
    def org_uuid(self) -> str:
        """The org's RUUID; the topic is ``/topic/change/<org_uuid>``."""
        return self.world.org_uuid

    @property
    def org_name(self) -> str:
        """The org's display name."""
        return self.world.org_name

    @property
    def api_keys(self) -> set[str]:
        """Valid API keys (mutable; see `add_key` / `revoke_key`)."""
        return self.world.api_keys

    def add_key(self, key: str) -> None:
        """Accept another API key."""
        self.world.api_keys.add(key)

    def revoke_key(self, key: str) -> None:
        """Reject a key from now on; open sockets stay but get no more events."""
        self.world.api_keys.discard(key)

    @property
    def cameras(self) -> dict[str, SimCamera]:
        """Cameras by uuid, in creation order (mutable)."""
        return self.world.cameras

    @property
    def alerts(self) -> dict[str, dict[str, Any]]:
        """Stored alert history by uuid (what REST serves)."""
        return self.world.alerts

    def add_camera(self, name: str | None = None) -> SimCamera:
        """Add a camera (generated name unless given)."""
        return self.world.add_camera(name)

    def rename_camera(self, uuid: str, name: str) -> None:
        """Rename a camera; REST shows it at once, no stream event is sent."""
        self.world.camera(uuid).name = name

    def remove_camera(self, uuid: str) -> None:
        """Remove a camera from the org."""
        del self.world.cameras[self.world.camera(uuid).uuid]

    def set_camera_status(
        self, uuid: str, status: str, *, health_status: str | None = None
    ) -> None:
        """Set connectionStatus (and healthStatus) to GREEN/YELLOW/ORANGE/RED."""
        self.world.set_camera_status(uuid, status, health_status)

    async def emit_alert(
        self,
        camera_uuid: str,
        triggers: Iterable[str] = ("MOTION_HUMAN",),
        *,
        shape: str = "nested",
        change_type: str = "CREATE",
        alert_uuid: str | None = None,
        description: str | None = None,
        timestamp_ms: int | None = None,
        duration_sec: float = 8,
        identity: Mapping[str, Any] | None = None,
    ) -> str:
        """Store (CREATE/UPDATE) and broadcast a POLICY_ALERT; return its uuid.

        ``identity``: the face or plate lists the alert carries.
        """
        if shape not in ALERT_SHAPES:
            raise ValueError(f"shape must be one of {ALERT_SHAPES}")
        alert = self.world.build_alert(
            camera_uuid,
            triggers,
            alert_uuid=alert_uuid,
            description=description,
            timestamp_ms=timestamp_ms,
            duration_sec=duration_sec,
        )
        alert.update(identity or {})
        if change_type == "UPDATE":
            alert["finalized"] = True
        if change_type in ("CREATE", "UPDATE"):
            self.world.store_alert(alert)
        _LOGGER.debug("Alert %s %s on %s", change_type, alert["uuid"], camera_uuid)
        body = change_body(alert, shape=shape, change_type=change_type)
        if not self.identity_on_stream and isinstance(body.get("update"), dict):
            for key in ALERTING_LISTS:
                body["update"].pop(key, None)
        await self.emit_change(body)
        return str(alert["uuid"])

    @property
    def dismissed(self) -> list[str]:
        """Alert uuids dismissed through ``event/dismissPolicyAlertV2``, in order."""
        return self._rest.dismissed

    async def emit_delete(self, alert_uuid: str) -> None:
        """Mark an alert deleted and broadcast a POLICY_ALERT DELETE."""
        alert = self.world.delete_alert(alert_uuid)
        await self.emit_change(delete_body(alert_uuid, alert))

    async def emit_change(self, body: Mapping[str, Any]) -> int:
        """Broadcast any JSON body as a MESSAGE; return how many were sent."""
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        return await self._hub.broadcast(text)

    async def send_raw(self, text: str) -> int:
        """Send a raw text message to every subscribed client."""
        return await self._hub.send_raw(text)

    async def send_bytes(self, data: bytes) -> int:
        """Send a binary WebSocket message to every subscribed client."""
        return await self._hub.send_bytes(data)

    async def wait_for_subscription(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the agreed API
    ) -> None:
        """Wait until ``count`` SUBSCRIBEs were accepted in total (TimeoutError)."""
        hub = self._hub
        await hub.wait_for(lambda: hub.subscriptions_total >= count, timeout)

    async def wait_for_connections(
        self,
        count: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - same shape as wait_for_subscription
    ) -> None:
        """Wait until exactly ``count`` WebSockets are open (TimeoutError)."""
        hub = self._hub
        await hub.wait_for(lambda: len(hub.sessions) == count, timeout)

    def calls(self, path: str) -> int:
        """How many REST requests hit ``path``."""
        return sum(1 for request in self.requests if request.path == path)

    async def wait_for_calls(
        self,
        path: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - same shape as wait_for_subscription
    ) -> None:
        """Wait until ``path`` was requested ``count`` times in total (TimeoutError)."""
        await self._rest.wait_for(lambda: self.calls(path) >= count, timeout)

    @property
    def received_frames(self) -> list[ReceivedFrame]:
        """Every frame clients sent, in arrival order."""
        return self._hub.received_frames

    @property
    def client_heartbeats(self) -> int:
        """Heart-beat EOLs received from clients."""
        return self._hub.client_heartbeats

    @property
    def connections_opened(self) -> int:
        """WebSocket upgrades accepted so far."""
        return self._hub.connections_opened

    @property
    def subscribed_clients(self) -> int:
        """Sessions subscribed to the org's topic right now (they get alerts)."""
        return len(self._hub.subscribed)

    @property
    def active_connections(self) -> int:
        """WebSockets open right now."""
        return len(self._hub.sessions)

    def start_scenario(self, alerts_per_minute: float, *, faults: bool = False) -> None:
        """Start emitting random alerts (and, with ``faults``, drops and stalls)."""
        if self._scenario is not None:
            raise RuntimeError("scenario already running")
        self._scenario = Scenario(self, alerts_per_minute, faults=faults)
        self._scenario.start()

    async def stop_scenario(self) -> None:
        """Stop the random demo, if running."""
        scenario, self._scenario = self._scenario, None
        if scenario is not None:
            await scenario.stop()

    def start_site_drift(self, interval: float = 10.0) -> None:
        """Start the demo site's drifting readings and random events."""
        if self._site_drift is not None:
            raise RuntimeError("site drift already running")
        self._site_drift = SiteDrift(self, interval)
        self._site_drift.start()

    async def stop_site_drift(self) -> None:
        """Stop the drift, if running."""
        drift, self._site_drift = self._site_drift, None
        if drift is not None:
            await drift.stop()

"""The event stream against the simulator (and a scripted server) over loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
import contextlib
from dataclasses import dataclass, field
import json
import logging
import time
from typing import Any, Protocol

import aiohttp
from aiohttp import web
import pytest

from custom_components.rhombus.aiorhombus import (
    Backoff,
    ChangeEvent,
    RhombusEventStream,
    RhombusRestClient,
    StreamState,
    stream as stream_module,
)
from simulator import RhombusSimulator

from .helpers import KEY, ScriptedCloud, wait_for

LOGGER = "custom_components.rhombus.aiorhombus.stream"
CONNECTING, CONNECTED = StreamState.CONNECTING, StreamState.CONNECTED
DISCONNECTED, STOPPED = StreamState.DISCONNECTED, StreamState.STOPPED
AUTH_FAILED = StreamState.AUTH_FAILED
CONNECTED_FRAME = "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\x00"


@dataclass
class Consumer:
    """What the integration would be: it records events and states."""

    events: list[ChangeEvent] = field(default_factory=list)
    states: list[StreamState] = field(default_factory=list)
    on_state_hook: Callable[[StreamState], None] | None = None
    fail_first: bool = False

    def on_event(self, event: ChangeEvent) -> None:
        self.events.append(event)
        if self.fail_first and len(self.events) == 1:
            raise RuntimeError("consumer bug")

    def on_state(self, state: StreamState) -> None:
        self.states.append(state)
        if self.on_state_hook is not None:
            self.on_state_hook(state)


class MakeStream(Protocol):
    def __call__(
        self,
        consumer: Consumer,
        *,
        url: str | None = None,
        key: str = KEY,
        start: bool = True,
        **kwargs: Any,
    ) -> RhombusEventStream: ...


@pytest.fixture
async def make_stream(
    http: aiohttp.ClientSession, sim: RhombusSimulator
) -> AsyncGenerator[MakeStream]:
    """Build (and start) streams on the simulator with fast timings."""
    made: list[RhombusEventStream] = []

    def make(
        consumer: Consumer,
        *,
        url: str | None = None,
        key: str = KEY,
        start: bool = True,
        **kwargs: Any,
    ) -> RhombusEventStream:
        kwargs.setdefault("heartbeat_ms", 100)
        kwargs.setdefault("backoff", Backoff(initial=0.01, cap=0.05))
        # 4 x 100 ms: no false stalls on a loaded CI machine; the stall test uses 2.
        kwargs.setdefault("stall_factor", 4.0)
        stream = RhombusEventStream(
            http,
            key,
            url or sim.websocket_url,
            sim.org_uuid,
            on_event=consumer.on_event,
            on_state=consumer.on_state,
            **kwargs,
        )
        made.append(stream)
        if start:
            stream.start()
        return stream

    yield make
    # Safety net only: every test stops its streams itself.
    for stream in made:
        with contextlib.suppress(Exception):
            await stream.stop()


@pytest.fixture
def consumer() -> Consumer:
    return Consumer()


def message(body: str) -> str:
    """A MESSAGE frame as the cloud sends it (no content-length here)."""
    headers = "destination:/topic/change/x\nsubscription:sub-0\nmessage-id:1"
    return f"MESSAGE\n{headers}\n\n{body}\x00"


def records(caplog: pytest.LogCaptureFixture, level: int, text: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == LOGGER and r.levelno == level and text in r.getMessage()
    ]


async def emit_and_receive(
    sim: RhombusSimulator, consumer: Consumer, within: float = 5.0, **kwargs: Any
) -> ChangeEvent:
    """Emit one alert and wait until the consumer has it."""
    uuid = await sim.emit_alert(next(iter(sim.cameras)), **kwargs)
    await wait_for(lambda: any(e.entity_uuid == uuid for e in consumer.events), within)
    return next(e for e in consumer.events if e.entity_uuid == uuid)


# --- frames, states, events ---------------------------------------------------


async def test_frames_and_states(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    assert stream.state is CONNECTED
    assert stream.stats.connects == 1
    assert stream.stats.connected_since is not None
    await stream.stop()
    await wait_for(lambda: len(sim.received_frames) == 3)
    connect, subscribe, disconnect = sim.received_frames
    assert connect.command == "CONNECT"
    assert connect.headers == {"accept-version": "1.2", "heart-beat": "100,100"}
    assert subscribe.command == "SUBSCRIBE"
    assert subscribe.headers == {
        "id": "sub-0",
        "destination": f"/topic/change/{sim.org_uuid}",
    }
    assert disconnect.command == "DISCONNECT"
    assert consumer.states == [CONNECTING, CONNECTED, STOPPED]
    assert stream.state is STOPPED
    await sim.wait_for_connections(0)


async def test_handshake_headers(
    cloud: ScriptedCloud, make_stream: MakeStream, consumer: Consumer
) -> None:
    async def script(ws: web.WebSocketResponse) -> None:
        await ws.receive()
        await ws.send_str(CONNECTED_FRAME)
        async for _ in ws:
            pass

    cloud.ws = script
    stream = make_stream(consumer, url=cloud.websocket_url)
    await wait_for(lambda: stream.state is CONNECTED)
    await stream.stop()
    (request,) = cloud.ws_requests
    assert request.headers["x-auth-apikey"] == KEY
    assert request.headers["x-auth-scheme"] == "api-token"
    assert request.query["x-auth-scheme"] == "api-token"
    assert KEY not in str(request.url)


@pytest.mark.parametrize("shape", ["nested", "flat"])
async def test_full_alert_shapes(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer, shape: str
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    camera = next(iter(sim.cameras))
    event = await emit_and_receive(
        sim,
        consumer,
        triggers=["MOTION_HUMAN", "MOTION_CAR"],
        shape=shape,
        description="Someone at the door ✓ café",  # content-length counts bytes
        timestamp_ms=1_700_000_000_123,
        duration_sec=12.5,
    )
    assert event.entity_type == "POLICY_ALERT"
    assert event.change_type == "CREATE"
    assert event.device_uuid == camera
    assert event.timestamp_ms == 1_700_000_000_123
    assert event.duration_sec == 12.5
    assert event.triggers == ("MOTION_HUMAN", "MOTION_CAR")
    assert event.description == "Someone at the door ✓ café"
    assert event.is_alert
    assert not event.needs_details
    assert event.payload["entityUuid"] == event.entity_uuid
    assert stream.stats.messages == 1
    assert stream.stats.last_message_at is not None
    await stream.stop()


async def test_sparse_alert_is_completed_by_rest(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    make_stream: MakeStream,
    consumer: Consumer,
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    camera = next(iter(sim.cameras))
    event = await emit_and_receive(
        sim, consumer, shape="sparse", triggers=["MOTION_CAR"]
    )
    assert (event.device_uuid, event.triggers, event.timestamp_ms) == (None, None, None)
    assert event.needs_details
    rest = RhombusRestClient(http, KEY, sim.rest_url)
    assert event.entity_uuid is not None
    details = await rest.get_policy_alert_details(event.entity_uuid)
    assert details is not None
    full = event.completed_by(details)
    assert full.device_uuid == camera
    assert full.triggers == ("MOTION_CAR",)
    assert not full.needs_details
    await stream.stop()


async def test_update_and_delete(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    camera = next(iter(sim.cameras))
    uuid = await sim.emit_alert(camera, change_type="UPDATE")
    await sim.emit_delete(uuid)
    await wait_for(lambda: len(consumer.events) == 2)
    update, delete = consumer.events
    assert (update.change_type, update.entity_uuid) == ("UPDATE", uuid)
    assert (delete.change_type, delete.entity_uuid) == ("DELETE", uuid)
    assert delete.change_type == "DELETE"
    assert delete.device_uuid == camera
    assert not delete.needs_details
    await stream.stop()


async def test_other_entities_pass_through(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    body = {
        "entity": "CAMERA",
        "type": "UPDATE",
        "entityUuid": "CAM1",
        "update": {"name": "Porch", "unknownField": [1, 2]},
    }
    await sim.emit_change(body)
    await wait_for(lambda: consumer.events)
    (event,) = consumer.events
    assert (event.entity_type, event.change_type, event.entity_uuid) == (
        "CAMERA",
        "UPDATE",
        "CAM1",
    )
    assert not event.is_alert
    assert not event.needs_details
    assert event.payload == body
    await stream.stop()


async def test_wrongly_typed_fields_become_none(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    """Only entity and type are required; other bad fields are dropped, not fatal."""
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await sim.emit_change(
        {
            "entity": "POLICY_ALERT",
            "type": "CREATE",
            "entityUuid": "A1",
            "deviceUuid": 42,
            "timestampMs": True,
            "durationSec": "long",
            "policyAlertTriggers": "MOTION",
            "textDescription": ["x"],
        }
    )
    await wait_for(lambda: consumer.events)
    (event,) = consumer.events
    assert event.entity_uuid == "A1"
    assert (event.device_uuid, event.timestamp_ms, event.duration_sec) == (
        None,
        None,
        None,
    )
    assert (event.triggers, event.description) == (None, None)
    assert event.needs_details
    assert not stream.stats.bad_frames
    await stream.stop()


async def test_client_heartbeats_at_negotiated_rate(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    # The client offers 20 ms, the server wants 100 ms: the larger one wins.
    stream = make_stream(consumer, heartbeat_ms=20)
    await sim.wait_for_subscription()
    start = sim.client_heartbeats
    began = time.monotonic()
    await wait_for(lambda: sim.client_heartbeats >= start + 3)
    await asyncio.sleep(0.3)
    elapsed = time.monotonic() - began
    sent = sim.client_heartbeats - start
    assert sent <= elapsed / 0.1 + 2  # at 20 ms it would be five times as many
    assert sim.received_frames[0].headers["heart-beat"] == "20,20"
    assert stream.stats.drops == 0
    await stream.stop()


async def test_no_heartbeats_when_disabled(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer, heartbeat_ms=0)
    await sim.wait_for_subscription()
    await asyncio.sleep(0.3)  # three server intervals: nothing may be sent or expected
    assert sim.client_heartbeats == 0
    assert stream.state is CONNECTED
    assert stream.stats.drops == 0
    await emit_and_receive(sim, consumer)
    await stream.stop()


# --- reconnects -------------------------------------------------------------


async def test_reconnect_after_drops(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    for count in (2, 3):
        await sim.drop_connections()
        await sim.wait_for_subscription(count)
        await wait_for(lambda: stream.state is CONNECTED)
        await emit_and_receive(sim, consumer)
    commands = [f.command for f in sim.received_frames]
    assert commands == ["CONNECT", "SUBSCRIBE"] * 3
    assert stream.stats.drops == 2
    assert stream.stats.connects == 3
    assert sim.connections_opened == 3
    assert (
        consumer.states
        == [CONNECTING, CONNECTED]
        + [
            DISCONNECTED,
            CONNECTING,
            CONNECTED,
        ]
        * 2
    )
    assert len(records(caplog, logging.WARNING, "lost")) == 2
    assert len(records(caplog, logging.INFO, "reconnected")) == 2
    await stream.stop()


async def test_outage_start_is_recorded_for_catch_up(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    stats = stream.stats
    assert stats.outage_began_at is None  # a first connect is not a recovery
    first_connect = stats.connected_since
    assert first_connect is not None
    await emit_and_receive(sim, consumer)
    healthy = stats.last_healthy_at
    assert healthy is not None
    assert healthy >= first_connect
    dropped_at = time.time()
    await sim.drop_connections()
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    began = stream.stats.outage_began_at  # a fresh read: mypy narrowed the old one
    assert began is not None
    assert healthy <= began <= dropped_at
    assert stats.connected_since is not None
    assert stats.connected_since >= dropped_at
    assert stats.last_healthy_at is not None
    assert stats.last_healthy_at >= stats.connected_since
    await stream.stop()


async def test_failed_retries_warn_once(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    sim.handshake_status = 503
    await sim.drop_connections()
    await wait_for(lambda: consumer.states.count(CONNECTING) >= 4)
    assert stream.stats.drops == 1
    sim.handshake_status = None
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    assert len(records(caplog, logging.WARNING, "lost")) == 1
    assert len(records(caplog, logging.INFO, "reconnected")) == 1
    assert records(caplog, logging.DEBUG, "connect failed: RhombusConnectionError")
    assert stream.stats.drops == 1
    await stream.stop()


async def test_first_connect_failing_warns_once(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A stream that never came up says so once, then retries quietly."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    sim.handshake_status = 500
    stream = make_stream(consumer)
    await wait_for(lambda: consumer.states.count(DISCONNECTED) >= 3)
    assert stream.stats.drops == 0
    sim.handshake_status = None
    await sim.wait_for_subscription()
    warnings = records(
        caplog, logging.WARNING, "Cannot connect to the Rhombus event stream"
    )
    assert len(warnings) == 1
    assert len(records(caplog, logging.INFO, "reconnected")) == 1
    await stream.stop()


async def test_stall_is_detected_and_reconnects(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    detected: list[float] = []

    def resume(state: StreamState) -> None:
        # Resume at once, or the next CONNECT would go unanswered too.
        if state is DISCONNECTED:
            detected.append(time.monotonic())
            sim.set_stalled(False)

    consumer = Consumer(on_state_hook=resume)
    stream = make_stream(consumer, stall_factor=2.0)
    await sim.wait_for_subscription()
    stalled_at = time.monotonic()
    sim.set_stalled(True)
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    # Negotiated 100 ms x 2, not the 30 s WebSocket ping.
    assert 0.05 < detected[0] - stalled_at < 2.0
    (lost,) = records(caplog, logging.WARNING, "lost")
    assert "stalled" in lost
    assert stream.stats.drops == 1
    assert stream.stats.connects == 2
    await emit_and_receive(sim, consumer)
    await stream.stop()


async def test_stalled_handshake_times_out(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stream_module, "HANDSHAKE_TIMEOUT", 0.2)
    sim.set_stalled(True)
    stream = make_stream(consumer)
    await wait_for(lambda: sim.connections_opened >= 2)
    assert stream.state is not CONNECTED
    sim.set_stalled(False)
    await sim.wait_for_subscription()
    await wait_for(lambda: stream.state is CONNECTED)
    assert stream.stats.drops == 0
    await stream.stop()


async def test_stomp_error_then_close(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await sim.send_error_and_close("Server going down")
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    (lost,) = records(caplog, logging.WARNING, "lost")
    assert "STOMP ERROR: Server going down" in lost
    assert stream.stats.drops == 1
    await emit_and_receive(sim, consumer)
    await stream.stop()


async def test_server_restart(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await sim.restart_session()
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    assert stream.stats.drops == 1
    await emit_and_receive(sim, consumer)
    await stream.stop()


async def test_frame_over_the_socket_limit_reconnects(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """aiohttp refuses > 4 MiB with an ERROR message; the stream starts over."""
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await sim.send_raw(message("x" * (5 * 1024 * 1024)))
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is CONNECTED)
    assert stream.stats.drops == 1
    (lost,) = records(caplog, logging.WARNING, "lost")
    assert "socket error" in lost
    await emit_and_receive(sim, consumer)
    await stream.stop()


async def test_stable_connection_resets_backoff(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backoff = Backoff(initial=0.01, cap=0.05)
    stream = make_stream(consumer, backoff=backoff)
    await sim.wait_for_subscription()
    await sim.drop_connections()
    await sim.wait_for_subscription(2)
    await sim.drop_connections()
    await sim.wait_for_subscription(3)
    assert backoff.attempts == 2  # short-lived connections keep escalating
    monkeypatch.setattr(stream_module, "STABLE_AFTER", 0.0)
    await sim.drop_connections()
    await sim.wait_for_subscription(4)
    assert backoff.attempts == 1  # a healthy connection starts the ladder over
    await stream.stop()


class RecordingBackoff:
    """The real ladder, remembering each delay it handed out."""

    def __init__(self, **kwargs: float) -> None:
        self.ladder = Backoff(**kwargs)
        self.delays: list[float] = []

    def next_delay(self) -> float:
        self.delays.append(self.ladder.next_delay())
        return self.delays[-1]

    def reset(self) -> None:
        self.ladder.reset()


async def test_stall_after_an_outage_retries_from_the_initial_delay(
    sim: RhombusSimulator, make_stream: MakeStream
) -> None:
    """A connection that subscribed and delivered a message proved itself."""

    def resume(state: StreamState) -> None:
        if state is DISCONNECTED:
            sim.set_stalled(False)

    consumer = Consumer(on_state_hook=resume)
    backoff = RecordingBackoff(initial=0.01, cap=5.0)
    stream = make_stream(consumer, backoff=backoff, stall_factor=2.0)
    await sim.wait_for_subscription()
    sim.handshake_status = 503  # an outage: the ladder grows
    await sim.drop_connections()
    await wait_for(lambda: len(backoff.delays) >= 5)
    sim.handshake_status = None
    await sim.wait_for_subscription(2)
    grown = len(backoff.delays)
    await emit_and_receive(sim, consumer)  # delivering: proven
    sim.set_stalled(True)  # and it stalls at once, long before STABLE_AFTER
    await sim.wait_for_subscription(3)
    await wait_for(lambda: stream.state is CONNECTED)
    assert backoff.delays[grown - 1] > 0.01 * 2**3 / 2  # it had grown
    assert backoff.delays[grown] <= 0.01  # back at the first rung
    await stream.stop()


async def test_a_connection_without_messages_does_not_reset_backoff(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    backoff = Backoff(initial=0.01, cap=0.05)
    stream = make_stream(consumer, backoff=backoff)
    await sim.wait_for_subscription()
    await sim.send_raw("GARBAGE")  # data, but no message delivered
    await wait_for(lambda: stream.stats.bad_frames.total() == 1)
    await sim.drop_connections()
    await sim.wait_for_subscription(2)
    await sim.drop_connections()
    await sim.wait_for_subscription(3)
    assert backoff.attempts == 2
    await stream.stop()


async def test_huge_server_heartbeat_is_capped(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A heart-beat of 31 years must not switch stall detection off."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    monkeypatch.setattr(stream_module.stomp, "MAX_HEARTBEAT_MS", 150)
    sim.set_heartbeat_header("999999999999,999999999999")

    def resume(state: StreamState) -> None:
        if state is DISCONNECTED:
            sim.set_stalled(False)

    consumer = Consumer(on_state_hook=resume)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    sim.set_stalled(True)
    await sim.wait_for_subscription(2, timeout=3.0)
    await wait_for(lambda: stream.state is CONNECTED)
    assert stream.stats.drops == 1
    capped = records(caplog, logging.DEBUG, "using at most 150 ms")
    assert len(capped) == 1  # said once, not at each connect
    await stream.stop()


# --- authentication -----------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
async def test_handshake_auth_rejection_stops_the_loop(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    sim.handshake_status = status
    stream = make_stream(consumer)
    await wait_for(lambda: stream.state is AUTH_FAILED)
    assert consumer.states == [CONNECTING, AUTH_FAILED]
    (warning,) = records(caplog, logging.WARNING, "refused the API key")
    assert f"HTTP {status}" in warning
    # Even once the cloud would accept it again, nothing retries.
    sim.handshake_status = None
    await asyncio.sleep(0.2)  # four times the backoff cap
    assert sim.connections_opened == 0
    assert consumer.states == [CONNECTING, AUTH_FAILED]
    await stream.stop()
    assert consumer.states == [CONNECTING, AUTH_FAILED, STOPPED]


async def test_unknown_key_is_refused(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer, key="KEY-SECRET-WRONG")
    await wait_for(lambda: stream.state is AUTH_FAILED)
    assert sim.connections_opened == 0
    await stream.stop()


# --- bad input ----------------------------------------------------------------


BAD_FRAMES = {
    "malformed_frame": "GARBAGE WITHOUT HEADERS",
    # int() refuses more than 4,300 digits: skipped, not a traceback.
    "content_length": "MESSAGE\ncontent-length:" + "9" * 5000 + "\n\n{}\x00",
    "invalid_json": message("{not json"),
    "invalid_event": message("[1, 2, 3]"),
    "oversized": message(json.dumps({"entity": "X", "pad": "y" * (1024 * 1024)})),
}


@pytest.mark.parametrize(
    "kind", [*BAD_FRAMES, "binary", "invalid_event_types"], ids=str
)
async def test_bad_frames_are_skipped_and_logged_once(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    counted = {
        "invalid_event_types": "invalid_event",
        "content_length": "malformed_frame",
    }.get(kind, kind)
    for _ in range(2):
        if kind == "binary":
            assert await sim.send_bytes(b"\x00\x01binary") == 1
        elif kind == "invalid_event_types":
            await sim.emit_change({"entity": 7, "type": ["CREATE"]})
        else:
            assert await sim.send_raw(BAD_FRAMES[kind]) == 1
    await emit_and_receive(sim, consumer)
    assert len(consumer.events) == 1
    assert stream.stats.bad_frames == {counted: 2}
    assert stream.stats.messages == 1
    assert stream.stats.drops == 0
    assert stream.state is CONNECTED
    assert len(records(caplog, logging.WARNING, f"({counted})")) == 1
    assert len(records(caplog, logging.DEBUG, f"({counted})")) == 1
    await stream.stop()


async def test_deeply_nested_json_is_a_bad_frame(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    """200 kB of brackets (well under the size cap) makes json.loads recurse out."""
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await sim.send_raw(message("[" * 100_000 + "]" * 100_000))
    await emit_and_receive(sim, consumer, within=2.0)
    assert stream.stats.bad_frames.total() == 1
    assert stream.state is CONNECTED
    await stream.stop()  # must not re-raise whatever ended the loop


async def test_consumer_error_does_not_kill_the_stream(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    caplog: pytest.LogCaptureFixture,
) -> None:
    consumer = Consumer(fail_first=True)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await emit_and_receive(sim, consumer)
    await emit_and_receive(sim, consumer)
    assert len(consumer.events) == 2
    assert stream.stats.drops == 0
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.exc_info is not None
    assert "consumer bug" in caplog.text
    await stream.stop()


# --- scripted handshakes --------------------------------------------------------


async def _reply(ws: web.WebSocketResponse, *texts: str) -> None:
    await ws.receive()  # CONNECT
    for text in texts:
        await ws.send_str(text)


@pytest.mark.parametrize(
    ("reply", "warning"),
    [
        (
            "ERROR\nmessage:Invalid API key\n\nbad key\x00",
            "STOMP ERROR: Invalid API key",
        ),
        ("ERROR\nmessage:Denied\n\nno permission\x00", "STOMP ERROR: Denied"),
    ],
)
async def test_stomp_auth_error_in_handshake(
    cloud: ScriptedCloud,
    make_stream: MakeStream,
    caplog: pytest.LogCaptureFixture,
    reply: str,
    warning: str,
) -> None:
    cloud.ws = lambda ws: _reply(ws, reply)
    consumer = Consumer()
    stream = make_stream(consumer, url=cloud.websocket_url)
    await wait_for(lambda: stream.state is AUTH_FAILED)
    assert consumer.states == [CONNECTING, AUTH_FAILED]
    assert warning in caplog.text
    await asyncio.sleep(0.1)
    assert len(cloud.ws_requests) == 1
    await stream.stop()


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        (["ERROR\nmessage:Busy\n\n\x00"], "STOMP ERROR: Busy"),
        (["RECEIPT\nreceipt-id:1\n\n\x00"], "expected CONNECTED, got RECEIPT"),
        (["CONNECTED\nheart-beat:soon\n\n\x00"], "malformed heart-beat header"),
        (["NOT A FRAME"], "frame has no end of headers"),
        ([], "closed before CONNECTED"),
    ],
)
async def test_bad_handshake_replies_are_retried(
    cloud: ScriptedCloud,
    make_stream: MakeStream,
    caplog: pytest.LogCaptureFixture,
    replies: list[str],
    reason: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    cloud.ws = lambda ws: _reply(ws, *replies)
    consumer = Consumer()
    stream = make_stream(consumer, url=cloud.websocket_url)
    await wait_for(lambda: len(cloud.ws_requests) >= 3)
    assert CONNECTED not in consumer.states
    # The first failure is a warning naming the reason; the retries are debug.
    assert len(records(caplog, logging.WARNING, reason)) == 1
    assert records(caplog, logging.DEBUG, reason)
    await stream.stop()


async def test_lenient_server(
    cloud: ScriptedCloud, make_stream: MakeStream, consumer: Consumer
) -> None:
    """A heart-beat before CONNECTED, no heart-beat header, coalesced frames."""
    alert = json.dumps({"entity": "POLICY_ALERT", "type": "CREATE", "entityUuid": "A"})
    other = json.dumps({"entity": "POLICY_ALERT", "type": "CREATE", "entityUuid": "B"})
    done = asyncio.Event()

    async def script(ws: web.WebSocketResponse) -> None:
        await _reply(ws, "\n", "CONNECTED\nversion:1.2\n\n\x00")
        await ws.receive()  # SUBSCRIBE
        await ws.send_str(
            message(alert) + "\nRECEIPT\nreceipt-id:7\n\n\x00" + message(other)
        )
        await done.wait()
        async for _ in ws:
            pass

    cloud.ws = script
    stream = make_stream(consumer, url=cloud.websocket_url)
    await wait_for(lambda: len(consumer.events) == 2)
    assert [e.entity_uuid for e in consumer.events] == ["A", "B"]
    assert stream.state is CONNECTED
    done.set()
    await stream.stop()


# --- stopping -------------------------------------------------------------------


async def test_stop_twice_and_before_start(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    make_stream: MakeStream,
    consumer: Consumer,
) -> None:
    # Without an on_state callback, state changes are simply not reported.
    idle = RhombusEventStream(
        http, KEY, sim.websocket_url, sim.org_uuid, on_event=Consumer().on_event
    )
    await idle.stop()
    assert idle.state is STOPPED
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    await stream.stop()
    await stream.stop()
    assert consumer.states == [CONNECTING, CONNECTED, STOPPED]
    assert [f.command for f in sim.received_frames].count("DISCONNECT") == 1


async def test_start_twice_and_task_factory(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    tasks: list[asyncio.Task[None]] = []

    def factory(coro: Any) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        tasks.append(task)
        return task

    stream = make_stream(consumer, start=False)
    stream.start(factory)
    stream.start(factory)
    await sim.wait_for_subscription()
    assert len(tasks) == 1
    assert sim.connections_opened == 1
    await stream.stop()
    assert tasks[0].done()


async def test_stop_during_backoff(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer, backoff=Backoff(initial=20, cap=20))
    await sim.wait_for_subscription()
    await sim.drop_connections()
    await wait_for(lambda: stream.state is DISCONNECTED)
    began = time.monotonic()
    await stream.stop()
    assert time.monotonic() - began < 1.0
    assert stream.state is STOPPED
    assert sim.connections_opened == 1


async def test_stop_during_handshake(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    sim.set_stalled(True)  # CONNECT goes unanswered
    stream = make_stream(consumer)
    await wait_for(lambda: sim.received_frames)
    began = time.monotonic()
    await stream.stop()
    assert time.monotonic() - began < 2.0
    assert [f.command for f in sim.received_frames] == ["CONNECT"]  # no DISCONNECT
    assert consumer.states == [CONNECTING, STOPPED]


async def test_cancelling_the_caller_of_stop_is_not_swallowed(
    sim: RhombusSimulator, make_stream: MakeStream, consumer: Consumer
) -> None:
    stream = make_stream(consumer, backoff=Backoff(initial=20, cap=20))
    await sim.wait_for_subscription()
    await sim.drop_connections()
    await wait_for(lambda: stream.state is DISCONNECTED)
    caller = asyncio.get_running_loop().create_task(stream.stop())
    await asyncio.sleep(0)  # stop() has cancelled the loop and awaits it
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert caller.cancelled()
    await stream.stop()
    assert stream.state is STOPPED


async def test_stop_is_prompt_when_the_server_stops_reading(
    cloud: ScriptedCloud, make_stream: MakeStream, consumer: Consumer
) -> None:
    """A half-open connection must not hold up unload for aiohttp's 10 s close wait."""
    release = asyncio.Event()

    async def script(ws: web.WebSocketResponse) -> None:
        await _reply(ws, CONNECTED_FRAME.replace("0,0", "100,100"))
        await ws.receive()  # SUBSCRIBE; after that nothing is read or answered
        await release.wait()

    cloud.ws = script
    stream = make_stream(consumer, url=cloud.websocket_url)
    await wait_for(lambda: stream.state is CONNECTED)
    began = time.monotonic()
    try:
        await stream.stop()
    finally:
        release.set()
    assert time.monotonic() - began < 3.0
    assert stream.state is STOPPED


async def test_disconnect_on_a_dying_socket_is_not_an_error(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    ws = stream._ws
    assert ws is not None

    async def broken(data: str, compress: int | None = None) -> None:
        raise aiohttp.ClientConnectionResetError("Cannot write to closing transport")

    monkeypatch.setattr(ws, "send_str", broken)
    await stream.stop()
    assert stream.state is STOPPED


# --- secrets --------------------------------------------------------------------


async def test_key_never_logged_or_shown(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    stream = make_stream(consumer)
    await sim.wait_for_subscription()
    assert KEY not in repr(stream)
    assert sim.org_uuid in repr(stream)
    await sim.send_raw("GARBAGE")
    await sim.send_error_and_close("Invalid API key for org")
    await sim.wait_for_subscription(2)
    sim.revoke_key(KEY)
    await sim.drop_connections()
    await wait_for(lambda: stream.state is AUTH_FAILED)
    assert KEY not in repr(stream)
    await stream.stop()
    assert "refused the API key" in caplog.text
    assert KEY not in caplog.text


async def test_repeated_refusal_warns_once_until_connected(
    sim: RhombusSimulator,
    make_stream: MakeStream,
    consumer: Consumer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A caller retrying a refused key slowly gets one warning, not one per try."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    sim.handshake_status = 403
    stream = make_stream(consumer)
    await wait_for(lambda: stream.state is AUTH_FAILED)
    assert stream.auth_error is not None
    assert stream.auth_error.status == 403
    await stream.stop()
    stream.start()
    await wait_for(lambda: consumer.states.count(AUTH_FAILED) == 2)
    assert len(records(caplog, logging.WARNING, "refused the API key")) == 1
    assert len(records(caplog, logging.DEBUG, "refused the API key")) == 1
    sim.handshake_status = None
    await stream.stop()
    stream.start()
    await wait_for(lambda: stream.state is CONNECTED)
    assert stream.auth_error is None
    assert len(records(caplog, logging.INFO, "reconnected")) == 1
    await stream.stop()

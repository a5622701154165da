"""Liveness by STOMP heart-beats, over a real socket to the simulator.

With heart-beats negotiated, only STOMP data keeps the connection alive; the
simulator's pong-answering stall (STOMP hung, WebSocket pings still answered)
must be caught. Without them, WebSocket pongs are the only sign of life.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    Backoff,
    ChangeEvent,
    RhombusEventStream,
    StreamState,
    stream as stream_module,
)
from simulator import RhombusSimulator

from .helpers import KEY, wait_for

BEAT_MS = 100
BACKOFF = 0.05
# Pings far more often than heart-beats: were pongs counted, no stall would show.
PING_EVERY = 0.02
# Scheduling slack for a loaded two-core CI machine.
SLACK = 0.5


def make(
    http: aiohttp.ClientSession,
    sim: RhombusSimulator,
    events: list[ChangeEvent],
    lost_at: list[float],
    *,
    heartbeat_ms: int,
    stall_factor: float = 2.0,
) -> RhombusEventStream:
    def on_state(state: StreamState) -> None:
        if state is StreamState.DISCONNECTED:
            lost_at.append(time.monotonic())
            sim.clear_faults()  # or the reconnect would go unanswered too

    return RhombusEventStream(
        http,
        KEY,
        sim.websocket_url,
        sim.org_uuid,
        on_event=events.append,
        on_state=on_state,
        heartbeat_ms=heartbeat_ms,
        backoff=Backoff(initial=BACKOFF, cap=BACKOFF),
        stall_factor=stall_factor,
    )


async def test_pong_answering_stall_is_detected_by_heartbeats(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stream_module, "WS_PING_INTERVAL", PING_EVERY)
    events: list[ChangeEvent] = []
    lost_at: list[float] = []
    stream = make(http, sim, events, lost_at, heartbeat_ms=BEAT_MS)
    stream.start()
    await sim.wait_for_subscription()
    stalled_at = time.monotonic()
    sim.set_stomp_stalled(True)
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is StreamState.CONNECTED)
    recovered_at = time.monotonic()
    # Within 2 x the negotiated heart-beat (plus slack), then the backoff.
    assert lost_at[0] - stalled_at < 2 * BEAT_MS / 1000 + SLACK
    assert recovered_at - stalled_at < 2 * BEAT_MS / 1000 + BACKOFF + 2 * SLACK
    assert (stream.stats.drops, stream.stats.connects) == (1, 2)
    alert = await sim.emit_alert(next(iter(sim.cameras)))
    await wait_for(lambda: any(e.entity_uuid == alert for e in events))
    await stream.stop()


async def test_pongs_keep_a_stream_without_heartbeats_alive(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No beats negotiated: a quiet session lives on pongs; the silent fault ends it."""
    ping_every = 0.1
    monkeypatch.setattr(stream_module, "WS_PING_INTERVAL", ping_every)
    events: list[ChangeEvent] = []
    lost_at: list[float] = []
    stream = make(http, sim, events, lost_at, heartbeat_ms=0, stall_factor=4.0)
    stream.start()
    await sim.wait_for_subscription()
    sim.set_stomp_stalled(True)
    # Three stall windows (4 x 100 ms) go by: the pongs alone keep it connected.
    await asyncio.sleep(3 * 4 * ping_every)
    assert stream.state is StreamState.CONNECTED
    assert stream.stats.drops == 0
    sim.set_stalled(True)  # now nothing answers, not even pings
    await wait_for(lambda: stream.stats.drops == 1)
    await sim.wait_for_subscription(2)
    await wait_for(lambda: stream.state is StreamState.CONNECTED)
    await stream.stop()

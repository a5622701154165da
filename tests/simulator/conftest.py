"""Fixtures for the simulator's own tests (plain aiohttp clients)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import StompClient, close_open_sockets


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """Every simulator test talks to a loopback server."""


@pytest.fixture
async def sim() -> AsyncGenerator[RhombusSimulator]:
    async with RhombusSimulator(cameras=3, seed=7, heartbeat_ms=0) as simulator:
        yield simulator


@pytest.fixture
async def http() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        try:
            yield session
        finally:
            await close_open_sockets()


@pytest.fixture
async def client(sim: RhombusSimulator, http: aiohttp.ClientSession) -> StompClient:
    """A connected and subscribed STOMP client."""
    stomp = await StompClient.open(http, sim.websocket_url)
    connected = await stomp.connect()
    assert connected.command == "CONNECTED"
    await stomp.subscribe(sim.org_uuid)
    await sim.wait_for_subscription()
    return stomp

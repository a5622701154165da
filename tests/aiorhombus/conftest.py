"""Fixtures for the protocol client's loopback tests: simulator, scripted server."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
from aiohttp import web
import pytest

from simulator import RhombusSimulator

from .helpers import KEY, ScriptedCloud, serve


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """Every test here talks to a loopback server."""


@pytest.fixture
async def http() -> AsyncGenerator[aiohttp.ClientSession]:
    """A real aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def sim() -> AsyncGenerator[RhombusSimulator]:
    """The fake Rhombus cloud with fast (100 ms) heart-beats and the test key."""
    simulator = RhombusSimulator(cameras=3, seed=11, heartbeat_ms=100)
    simulator.add_key(KEY)
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


@pytest.fixture
async def cloud() -> AsyncGenerator[ScriptedCloud]:
    """A scripted server on a free loopback port."""
    scripted = ScriptedCloud()
    app = web.Application()
    app.router.add_post("/api/{tail:.*}", scripted.handle_rest)
    app.router.add_get("/websocket", scripted.handle_ws)
    async with serve(app) as scripted.url:
        yield scripted

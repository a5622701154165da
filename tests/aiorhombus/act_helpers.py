"""Helpers of the site-action client tests: a scripted answer, a recorded body."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .helpers import ScriptedCloud


def answer_with(
    cloud: ScriptedCloud, body: Any, *, status: int = 200
) -> list[dict[str, Any]]:
    """Make ``cloud`` answer every call with ``body``; return the bodies it got."""
    received: list[dict[str, Any]] = []

    async def answer(request: web.Request) -> web.StreamResponse:
        received.append(await request.json())
        if status != 200:
            return web.Response(status=status, text="refused")
        return web.json_response(body)

    cloud.rest = answer
    return received

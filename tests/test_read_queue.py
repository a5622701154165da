"""The camera controls' read queue: one read at a time, and it never dies."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.rhombus.camera_config import ReadQueue
from custom_components.rhombus.const import DOMAIN
from custom_components.rhombus.rate_limit import RateLimitGate

from .helpers import wait_until


async def test_an_unexpected_error_is_logged_and_the_next_read_still_runs(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in one read (not a Rhombus error) must not stop every later read."""
    entry = MockConfigEntry(domain=DOMAIN)
    entry.add_to_hass(hass)
    queue = ReadQueue(hass, entry, RateLimitGate())
    done: list[str] = []

    async def broken() -> None:
        raise KeyError("cameraUuid")

    async def fine() -> None:
        done.append("fine")

    caplog.set_level(logging.ERROR)
    queue.request("config:a", broken)
    queue.request("config:b", fine)
    await wait_until(hass, lambda: done == ["fine"] and queue.idle)
    assert "Background read config:a failed unexpectedly" in caplog.text
    queue.request("config:c", fine)  # the same task takes later reads too
    await wait_until(hass, lambda: done == ["fine", "fine"] and queue.idle)
    await hass.config_entries.async_unload(entry.entry_id)

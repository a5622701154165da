"""Turn the stream's text messages into change events, skipping bad ones.

Bad input loses nothing else: each bad message is counted by kind, the first
of a kind is logged as a warning and the rest at debug, and the next good
message is delivered as usual.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
import json
import logging
import time
from typing import Any

import orjson

from . import stomp
from .exceptions import RhombusConnectionError, RhombusProtocolError
from .models import ChangeEvent

# Frames this large are not alerts; skip them rather than parse them.
MAX_MESSAGE_CHARS = 1024 * 1024


@dataclass(slots=True)
class StreamStats:
    """Counters for diagnostics and benchmarks."""

    connects: int = 0
    drops: int = 0
    messages: int = 0
    connected_since: float | None = None  # time.time() of the current connection
    last_message_at: float | None = None
    # Last time the stream was known to deliver (a message, a heart-beat, a
    # pong or the CONNECTED frame); at a reconnect, the previous value is
    # where the outage began, which is what catch-up needs.
    last_healthy_at: float | None = None
    outage_began_at: float | None = None
    bad_frames: Counter[str] = field(default_factory=Counter)


def loads(text: str) -> tuple[Any, bool]:
    """Parse JSON with orjson, and with the standard library what it refuses.

    orjson is a few times faster and ships with Home Assistant. The standard
    parser accepts a little more (NaN, integers beyond 64 bits) and fails deep
    nesting with RecursionError, so asking it again after orjson failed keeps
    the result exactly that of ``json.loads``. The flag says orjson took it
    (so orjson can write it back).
    """
    try:
        return orjson.loads(text), True
    except orjson.JSONDecodeError:
        return json.loads(text), False


class MessageDecoder:
    """Decodes one connection's messages for ``on_event``."""

    def __init__(
        self,
        stats: StreamStats,
        on_event: Callable[[ChangeEvent], None],
        logger: logging.Logger,
    ) -> None:
        """Count into ``stats`` and log through the stream's logger."""
        self._stats = stats
        self._on_event = on_event
        self._logger = logger

    def feed(self, data: str) -> None:
        """Handle one text message; a STOMP ERROR frame raises."""
        self._stats.last_message_at = self._stats.last_healthy_at = time.time()
        if stomp.is_heartbeat(data):
            return
        if len(data) > MAX_MESSAGE_CHARS:
            self.skip("oversized", f"{len(data)} characters")
            return
        try:
            frames = stomp.parse(data)
        except RhombusProtocolError as err:
            self.skip("malformed_frame", str(err))
            return
        for frame in frames:
            if frame.command == "MESSAGE":
                self._deliver(frame.body)
            elif frame.command == "ERROR":
                raise RhombusConnectionError(
                    f"STOMP ERROR: {frame.headers.get('message', '')}"
                )

    def skip(self, kind: str, detail: str) -> None:
        """Count a bad message; warn about the first of its kind only."""
        self._stats.bad_frames[kind] += 1
        first = self._stats.bad_frames[kind] == 1
        self._logger.log(
            logging.WARNING if first else logging.DEBUG,
            "Skipped a bad Rhombus stream message (%s): %s",
            kind,
            detail,
        )

    def _deliver(self, body: str) -> None:
        try:
            data, plain = loads(body)
            # Its size, unless it holds what only the standard parser reads.
            event = ChangeEvent.from_message(data, len(body) if plain else None)
        except (ValueError, RecursionError):  # deeply nested JSON recurses
            self.skip("invalid_json", "message body is not JSON")
            return
        except RhombusProtocolError as err:
            self.skip("invalid_event", str(err))
            return
        except Exception as err:  # noqa: BLE001 - bad input must not end the stream
            self.skip("invalid_event", f"{type(err).__name__}: {err}")
            return
        self._stats.messages += 1
        try:
            self._on_event(event)
        except Exception:
            # A consumer bug must not take the connection down with it.
            self._logger.exception("Error handling a Rhombus change event")

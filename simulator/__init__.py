"""A runnable fake of the Rhombus cloud: REST plus STOMP 1.2 over WebSocket.

Independent of the integration's code on purpose (its own STOMP framing), so a codec bug
in the client is caught rather than mirrored. Run it with ``python -m simulator``.
"""

from __future__ import annotations

from .app import RhombusSimulator
from .frames import ReceivedFrame
from .rest import RecordedRequest
from .world import SimCamera

__all__ = ["ReceivedFrame", "RecordedRequest", "RhombusSimulator", "SimCamera"]

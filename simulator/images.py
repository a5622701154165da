"""Generated media: small JPEGs for frames and thumbnails, stand-in HLS segments.

Each picture's colour comes from a hash of what it shows (camera or alert uuid),
so two alerts' thumbnails differ and a test can tell them apart. Segments are
MPEG-TS null packets: valid transport-stream framing with no video in it.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw

FRAME_SIZE = (320, 180)
THUMBNAIL_SIZE = (160, 90)
TS_PACKET_SIZE = 188
TS_PACKETS_PER_SEGMENT = 8
_TS_NULL_HEADER = bytes((0x47, 0x1F, 0xFF, 0x10))  # sync byte, PID 0x1FFF


def colour_of(text: str) -> tuple[int, int, int]:
    """A stable colour for ``text`` (never too dark for the white caption)."""
    digest = hashlib.sha256(text.encode()).digest()
    red, green, blue = (64 + byte % 160 for byte in digest[:3])
    return red, green, blue


def jpeg(lines: list[str], colour_key: str, size: tuple[int, int]) -> bytes:
    """A JPEG filled with ``colour_key``'s colour, captioned with ``lines``."""
    image = Image.new("RGB", size, colour_of(colour_key))
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((6, 6 + 14 * row), line, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def frame_jpeg(camera_name: str, camera_uuid: str, timestamp_ms: int) -> bytes:
    """A camera frame: the camera's colour, its name and the frame time."""
    return jpeg([camera_name, str(timestamp_ms)], camera_uuid, FRAME_SIZE)


def thumbnail_jpeg(alert_uuid: str, caption: str) -> bytes:
    """An alert thumbnail: the alert's colour, its uuid and its first trigger."""
    return jpeg([alert_uuid, caption], alert_uuid, THUMBNAIL_SIZE)


def ts_segment(label: str) -> bytes:
    """A stand-in segment: null packets, the first carrying ``label``."""
    payload_size = TS_PACKET_SIZE - len(_TS_NULL_HEADER)
    first = label.encode()[:payload_size].ljust(payload_size, b"\xff")
    filler = b"\xff" * payload_size
    packets = [_TS_NULL_HEADER + first]
    packets += [_TS_NULL_HEADER + filler] * (TS_PACKETS_PER_SEGMENT - 1)
    return b"".join(packets)

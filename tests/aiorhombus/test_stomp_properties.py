"""Property-based tests of the STOMP codec and the message decoder (hypothesis).

The profile (derandomized, bounded) is registered in ``tests/spec/plugin.py``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from hypothesis import given, strategies as st

from custom_components.rhombus.aiorhombus import Camera, ChangeEvent, stomp
from custom_components.rhombus.aiorhombus.decoder import MessageDecoder, StreamStats
from custom_components.rhombus.aiorhombus.exceptions import RhombusConnectionError
from tests.spec.strategies import ALERT_SCHEMA, CAMERA_SCHEMA, from_schema

LOGGER = logging.getLogger("tests.stomp_properties")
ALERT = {"entity": "POLICY_ALERT", "type": "CREATE", "entityUuid": "A1"}


def message(body: str, *, length: bool = True) -> str:
    headers = {"destination": "/topic/change/org", "subscription": "sub-0"}
    if length:
        headers["content-length"] = str(len(body.encode()))
    return stomp.encode(stomp.Frame("MESSAGE", headers, body))


def decoder() -> tuple[MessageDecoder, list[ChangeEvent], StreamStats]:
    events: list[ChangeEvent] = []
    stats = StreamStats()
    return MessageDecoder(stats, events.append, LOGGER), events, stats


def feed(dec: MessageDecoder, text: str) -> None:
    """Feed one message; only a real STOMP ERROR frame may end the connection."""
    try:
        dec.feed(text)
    except RhombusConnectionError as err:
        # pytest.raises cannot say "may raise": check the exception here.
        assert "STOMP ERROR" in str(err)  # noqa: PT017
        assert "ERROR" in text


# WebSocket text messages are str; any bytes arrive decoded (with replacement).
any_text = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("utf-8", errors="replace")),
    st.lists(
        st.sampled_from(
            ["MESSAGE", "ERROR", "\n", "\r\n", "\x00", ":", "\\", "content-length:",
             "3", "é", "{}", "\n\n"]
        )
    ).map("".join),
)  # fmt: skip


@given(chunks=st.lists(any_text, max_size=8))
def test_any_input_in_any_chunking_never_raises_out_of_the_decoder(
    chunks: list[str],
) -> None:
    dec, _, _ = decoder()
    for chunk in chunks:
        feed(dec, chunk)


@given(
    garbage=st.lists(any_text, min_size=1, max_size=4),
    body_text=st.text(),
    use_length=st.booleans(),
    heartbeats=st.sampled_from(["", "\n", "\r\n\n"]),
)
def test_a_well_formed_frame_after_garbage_is_never_lost(
    garbage: list[str], body_text: str, use_length: bool, heartbeats: str
) -> None:
    dec, events, _ = decoder()
    for chunk in garbage:
        feed(dec, chunk)
    before = len(events)
    body = json.dumps({**ALERT, "textDescription": body_text})
    feed(dec, heartbeats + message(body, length=use_length) + heartbeats)
    assert len(events) == before + 1
    assert events[-1].payload["textDescription"] == body_text


header_text = st.text(st.characters(blacklist_categories=["Cs"]))


@given(
    command=st.sampled_from(["MESSAGE", "SEND", "SUBSCRIBE", "ERROR", "RECEIPT"]),
    headers=st.dictionaries(header_text, header_text, max_size=5),
    body=st.text(),
)
def test_encode_then_parse_round_trips_any_header_value(
    command: str, headers: dict[str, str], body: str
) -> None:
    headers = {k: v for k, v in headers.items() if k != "content-length"}
    headers["content-length"] = str(len(body.encode()))
    frame = stomp.Frame(command, headers, body)
    (parsed,) = stomp.parse(stomp.encode(frame))
    assert parsed == frame


@given(frames=st.lists(st.text(), min_size=1, max_size=5), eols=st.integers(0, 3))
def test_several_frames_in_one_message_all_arrive(frames: list[str], eols: int) -> None:
    dec, events, _ = decoder()
    text = ("\n" * eols).join(
        message(json.dumps({**ALERT, "textDescription": t})) for t in frames
    )
    feed(dec, text)
    assert [e.payload["textDescription"] for e in events] == frames


# --- documents the spec allows, and any JSON at all --------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


@given(alert=from_schema(ALERT_SCHEMA))
def test_spec_alerts_become_events(alert: dict[str, Any]) -> None:
    event = ChangeEvent.from_alert(alert)
    assert event.entity_uuid == (alert.get("uuid") or None)
    dec, events, stats = decoder()
    feed(dec, message(json.dumps({**ALERT, "update": alert}, allow_nan=True)))
    assert len(events) + sum(stats.bad_frames.values()) == 1


@given(camera=from_schema(CAMERA_SCHEMA))
def test_spec_cameras_become_models_or_none(camera: dict[str, Any]) -> None:
    model = Camera.from_api(camera)
    assert (model is None) == (not camera.get("uuid"))


@given(document=json_values)
def test_any_json_document_is_an_event_or_a_counted_skip(document: Any) -> None:
    dec, events, stats = decoder()
    feed(dec, message(json.dumps(document)))
    assert len(events) + sum(stats.bad_frames.values()) == 1

"""The hash chains' byte forms, pure: what an auditor's own program must reproduce."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from activities.chain import (
    ZERO_HASH,
    LinkTuple,
    LinkWriter,
    canonical_json,
    global_hash,
    instant,
    record_bytes,
    stream_hash,
)


@given(
    stream_id=st.text(),
    actor=st.text(),
    event_type=st.text(),
    version=st.integers(min_value=1, max_value=2**31 - 1),
    schema_version=st.integers(min_value=1, max_value=99),
    offset_minutes=st.integers(min_value=-600, max_value=600),
)
def test_the_header_is_the_canonical_json_of_its_fields(
    stream_id: str,
    actor: str,
    event_type: str,
    version: int,
    schema_version: int,
    offset_minutes: int,
) -> None:
    moment = datetime(2026, 11, 23, 9, 30, 1, 5, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    fields = {
        "stream_id": stream_id,
        "version": version,
        "event_type": event_type,
        "schema_version": schema_version,
        "occurred_at": moment,
        "actor": actor,
    }
    header = canonical_json({**fields, "occurred_at": instant(moment)})
    assert record_bytes(**fields, payload=b"{}") == len(header).to_bytes(4, "big") + header + b"{}"  # type: ignore[arg-type]


_WRITER = LinkWriter()  # one for every example: its kept header starts are reused


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["traj-1", "traj-2", 'tra"j\\3', "trajé\n"]),
            st.sampled_from(["coach-1", 'coach"2', "\x00\x1f\u2028", "ü"]),
            st.sampled_from(["TrajectoryStarted", 'Ty"pe', "Type\\"]),
            st.integers(min_value=1, max_value=2**31 - 1),
            st.binary(max_size=40),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_link_writer_writes_record_bytes(rows: list[tuple[str, str, str, int, bytes]]) -> None:
    # `verify --all` hashes what `LinkWriter` (and `ChainVerifier.add_links`, inline) puts
    # together; a column tampered with quotes or escapes must come out as `record_bytes` does.
    moment = datetime(2026, 11, 23, 9, 30, 1, 5, tzinfo=UTC)
    for stream_id, actor, event_type, version, payload in rows:
        row = LinkTuple(
            1, stream_id, version, event_type, 2, instant(moment), actor, payload,
            ZERO_HASH, ZERO_HASH, ZERO_HASH, ZERO_HASH,
        )  # fmt: skip
        assert _WRITER.record(row) == record_bytes(
            stream_id=stream_id,
            version=version,
            event_type=event_type,
            schema_version=2,
            occurred_at=moment,
            actor=actor,
            payload=payload,
        )


def test_the_byte_forms_are_fixed() -> None:
    """Written out once: a change here breaks every stored chain."""
    assert canonical_json({"b": "é", "a": [1, None]}) == '{"a":[1,null],"b":"é"}'.encode()
    moment = datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=1)))
    assert instant(moment) == "2026-11-23T09:00:00.000000+00:00"
    record = record_bytes(
        stream_id="traj-1",
        version=1,
        event_type="TrajectoryStarted",
        schema_version=1,
        occurred_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
        actor="coach-a",
        payload=b"{}",
    )
    header = (
        b'{"actor":"coach-a","event_type":"TrajectoryStarted",'
        b'"occurred_at":"2026-11-23T09:00:00.000000+00:00","schema_version":1,'
        b'"stream_id":"traj-1","version":1}'
    )
    assert record == len(header).to_bytes(4, "big") + header + b"{}"
    link = stream_hash(ZERO_HASH, record)
    assert link == hashlib.sha256(bytes(32) + record).digest()
    assert (
        global_hash(ZERO_HASH, 1, link)
        == hashlib.sha256(bytes(32) + (1).to_bytes(8, "big") + link).digest()
    )

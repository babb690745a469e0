"""The bench's profile summary counts samples the way py-spy's raw output states them."""

from __future__ import annotations

from bench.profile_summary import summarise


def test_inclusive_and_self_shares() -> None:
    raw = (
        "main (a.py:1);work (b.py:2);hash (c.py:3) 3\n"
        "main (a.py:1);work (b.py:2) 1\n"
        "main (a.py:1);idle (d.py:9) 4\n"
    )
    text = summarise(raw, top=10)
    assert text.startswith("8 samples")
    assert "100.0%  main (a.py)" in text
    assert " 50.0%  work (b.py)" in text  # 3 + 1 of 8, inclusive
    self_part = text.split("self")[1]
    assert " 50.0%  idle (d.py)" in self_part and " 37.5%  hash (c.py)" in self_part

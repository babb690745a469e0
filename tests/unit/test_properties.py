"""Properties of the fold over random runs: the state is a function of the events alone."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import trajectory
from tests import factories as f
from tests.unit import strategies as s
from tests.unit.story import T0, TID

# Every run starts a trajectory; most get some way along before the random script takes over.
PREFIXES = st.integers(1, 5)
FAST = settings(max_examples=100, deadline=None)


@FAST
@given(prefix=PREFIXES, script=s.scripts)
def test_fold_is_deterministic(prefix: int, script: s.Script) -> None:
    events, _ = s.play(T0, TID, prefix, script)
    assert trajectory.fold(events) == trajectory.fold(list(events))
    assert trajectory.deadlines(trajectory.fold(events)) == trajectory.deadlines(
        trajectory.fold(events)
    )


@FAST
@given(prefix=PREFIXES, script=s.scripts, data=st.data())
def test_evolving_on_from_any_prefix_equals_the_whole_fold(
    prefix: int, script: s.Script, data: st.DataObject
) -> None:
    # The workflow continues-as-new with a state folded so far; the audit tool folds from zero.
    events, _ = s.play(T0, TID, prefix, script)
    split = data.draw(st.integers(0, len(events)), label="split")
    assert trajectory.fold(events[split:], trajectory.fold(events[:split])) == trajectory.fold(
        events
    )


@FAST
@given(prefix=PREFIXES, script=s.scripts)
def test_the_stored_history_folds_to_the_same_state(prefix: int, script: s.Script) -> None:
    events, _ = s.play(T0, TID, prefix, script)
    stored = [json.loads(json.dumps(e.model_dump(mode="json"))) for e in events]
    loaded = [trajectory.load_event(x) for x in stored]
    assert loaded == events
    assert trajectory.fold(loaded) == trajectory.fold(events)


@FAST
@given(prefix=PREFIXES, script=s.scripts)
def test_decide_is_deterministic(prefix: int, script: s.Script) -> None:
    # A workflow replaying its history must decide exactly what it decided the first time.
    first, refused_first = s.play(T0, TID, prefix, script)
    second, refused_second = s.play(T0, TID, prefix, script)
    assert first == second
    assert [(type(e), e.message) for e in refused_first] == [
        (type(e), e.message) for e in refused_second
    ]


@FAST
@given(prefix=PREFIXES, script=s.scripts)
def test_no_refusal_in_a_random_run_shows_personal_data(prefix: int, script: s.Script) -> None:
    _, refused = s.play(T0, TID, prefix, script)
    for error in refused:
        assert f.CANDIDATE_NAME not in str(error)
        assert f.CANDIDATE_BSN not in str(error)

"""Stored events: every type survives its JSON, and old shapes are upcast step by step."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from domain import trajectory
from domain.trajectory import _upcast
from nbm import programmes
from tests import factories as f
from tests.unit.story import T0, TID, WEEK, Story, follow_up_due, followed_up, learning_ended


def every_event_type() -> list[trajectory.AnyEvent]:
    """Two stories that, between them, emit every event type there is."""
    long = learning_ended(weeks=12)
    long.do(trajectory.ExtendLearning(actor=f.COACH, weeks=8, reason="needs more practice"))
    terms = f.establish_agreement(weeks=12).model_dump(exclude={"kind"})
    long.do(trajectory.AmendAgreement(**terms, reason="the guarantee became an intention"))
    long.do(trajectory.StartPlacement(actor=f.COACH, name="ADL internship", hours_per_week=16))
    long.do(trajectory.RecordCalamity(actor=f.COACH, calamity_kind=trajectory.CalamityKind.HOUSING))
    long.do(trajectory.ResolveCalamity(actor=f.COACH, number=1))
    long.do(trajectory.ResolveEscalation(actor=f.COACH, number=1))  # the calamity's
    long.do(
        trajectory.RecordEmployerAnswer(
            actor="employer:emp-1", future_job_id="fj-1", about="commitment",
            answer=trajectory.EmployerAnswer.CONFIRMED,
        )
    )  # fmt: skip
    long.do(trajectory.ResolveBarrier(actor=f.COACH, barrier=trajectory.Barrier.MOBILITY))
    long.reach(trajectory.DeadlineKind.EVALUATION)
    long.do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        )
    )
    long.do(
        trajectory.ProposeOtherEmployer(
            actor=f.COACH, employer_id="employer-b", reason="no vacancy"
        )
    )
    long.do(trajectory.RecordFollowOnEducation(actor=f.COACH, institute="ROC", course="BBL 3"))
    towards = Story(T0)  # a trajectory towards a future job of its own stream
    towards.do(f.start(T0, future_job_id="fj-1"))
    towards.do(
        trajectory.RecordFutureJobChange(
            actor="am-1", future_job_id="fj-1", expected_date=date(2027, 12, 1), number_of_jobs=1
        )
    )
    assert towards.trajectory.future_job.expected_date == date(2027, 12, 1)
    placed = follow_up_due()
    placed.do(trajectory.RecordFollowUp(actor=f.COACH, still_employed=True, benefit_ended=True))
    chained = Story(T0)  # Werkfit: the benefit-retention warning, then into an NBM programme
    chained.do(f.start(T0, programme="werkfit"))
    chained.do(f.map_possibilities())
    chained.do(f.establish_agreement(24))
    chained.do(f.match())
    chained.do(f.start_learning())
    chained.reach(trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING)
    nbm = programmes.programme("standard")
    chained.do(
        trajectory.HandOver(
            actor=f.COACH, programme=nbm, route=trajectory.Route.LARGE_SCALE_GROWTH,
            future_job=f.start(T0).future_job, reason="Werkfit afgerond",
        )
    )  # fmt: skip
    return (
        long.events
        + placed.events
        + towards.events[1:]
        + chained.events[1:]
        + followed_up().events[1:]
    )


EVENTS = every_event_type()


def test_the_stories_cover_every_event_type() -> None:
    assert {e.type for e in EVENTS} == trajectory.EVENT_TYPES
    assert len(trajectory.EVENT_TYPES) == 33


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{e.version}-{e.type}")
def test_load_event_round_trips_json(event: trajectory.AnyEvent) -> None:
    stored = json.loads(json.dumps(event.model_dump(mode="json")))
    assert trajectory.load_event(stored) == event


def test_the_stored_events_fold_to_the_same_state() -> None:
    long = learning_ended()
    stored = [json.loads(json.dumps(e.model_dump(mode="json"))) for e in long.events]
    assert trajectory.fold(trajectory.load_event(s) for s in stored) == long.state


def test_load_event_refuses_an_unknown_type() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        trajectory.load_event({"type": "TrajectoryTeleported", "trajectory_id": TID})


def test_current_events_need_no_upcasting() -> None:
    data = EVENTS[0].model_dump(mode="json")
    assert trajectory.upcast(dict(data)) == data


def test_upcasters_run_in_order_up_to_the_current_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two made-up steps of BarrierResolved's history: v1 called it "obstacle", v2 upper case.
    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        data["barrier"] = data.pop("obstacle").upper()
        return data

    def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
        data["barrier"] = data["barrier"].lower()
        return data

    monkeypatch.setitem(_upcast.UPCASTERS, ("BarrierResolved", 1), v1_to_v2)
    monkeypatch.setitem(_upcast.UPCASTERS, ("BarrierResolved", 2), v2_to_v3)
    monkeypatch.setitem(_upcast.CURRENT_SCHEMA, "BarrierResolved", 3)
    old = {
        "type": "BarrierResolved",
        "trajectory_id": TID,
        "version": 9,
        "occurred_at": (T0 + WEEK).isoformat(),
        "actor": f.COACH,
        "obstacle": "childcare",
    }
    assert trajectory.load_event(old) == trajectory.BarrierResolved(
        trajectory_id=TID,
        version=9,
        occurred_at=T0 + WEEK,
        actor=f.COACH,
        schema_version=3,
        barrier=trajectory.Barrier.CHILDCARE,
    )
    assert "obstacle" in old  # the stored record itself is never changed

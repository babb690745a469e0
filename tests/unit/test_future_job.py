"""A future job's rules, pure: places promised, taken, reduced, withdrawn, expired."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain import future_job as fj
from domain.shared import RuleViolation
from domain.trajectory import Commitment
from tests.unit.test_dispatch import concrete, members

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
AM = "am-1"


def forecast(
    jobs: int = 2, expected_on: date = date(2027, 9, 1), **over: object
) -> fj.ForecastFutureJob:
    fields: dict[str, object] = {
        "actor": AM,
        "future_job_id": "fj-1",
        "employer_id": "emp-1",
        "function": "medewerker logistiek",
        "jobs": jobs,
        "expected_on": expected_on,
        "required_skills": ("orderpicken", "heftruck"),
        "commitment": Commitment.JOB_GUARANTEE,
        **over,
    }
    return fj.ForecastFutureJob(**fields)  # type: ignore[arg-type]


def run(*commands: fj.AnyCommand, now: datetime = NOW) -> tuple[fj.FutureJob, list[fj.AnyEvent]]:
    state: fj.FutureJob | None = None
    events: list[fj.AnyEvent] = []
    for command in commands:
        new = fj.decide(state, command, now)
        events += new
        state = fj.fold(new, state)
    assert state is not None
    return state, events


def attach(tid: str) -> fj.AttachCandidate:
    return fj.AttachCandidate(actor="coach-1", trajectory_id=tid)


def fill(tid: str, on: date = date(2026, 11, 30)) -> fj.FillPlace:
    return fj.FillPlace(actor="coach-1", trajectory_id=tid, started_on=on)


def test_the_unions_hold_every_class() -> None:
    assert members(fj.AnyCommand) == concrete(fj.Command)
    assert members(fj.AnyEvent) == set(fj.Event.__subclasses__())


def test_the_expected_date_lies_ahead_within_24_calendar_months() -> None:
    # 1 December 2026 (Amsterdam) plus 24 months is 1 December 2028, counted in months.
    run(forecast(expected_on=date(2028, 12, 1)))
    with pytest.raises(RuleViolation, match="more than 24 months"):
        run(forecast(expected_on=date(2028, 12, 2)))
    with pytest.raises(RuleViolation, match="not in the future"):
        run(forecast(expected_on=date(2026, 12, 1)))
    # Late on 31 December in UTC it is already 1 January in Amsterdam.
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert fj.today(new_year) == date(2027, 1, 1)
    with pytest.raises(RuleViolation, match="not in the future"):
        run(forecast(expected_on=date(2027, 1, 1)), now=new_year)


def test_places_are_promised_then_taken_and_the_last_one_fills_it() -> None:
    state, _ = run(forecast(jobs=2), attach("t1"), attach("t2"))
    assert (state.free_places, state.places_left) == (0, 2)
    with pytest.raises(fj.NoPlaceLeft, match="no place left"):
        run(forecast(jobs=2), attach("t1"), attach("t2"), attach("t3"))
    with pytest.raises(RuleViolation, match="already learns towards"):
        run(forecast(jobs=2), attach("t1"), attach("t1"))

    state, events = run(forecast(jobs=2), attach("t1"), attach("t2"), fill("t1"), fill("t2"))
    assert state.status is fj.FutureJobStatus.FILLED and state.filled == ("t1", "t2")
    assert [e.type for e in events][-3:] == ["PlaceFilled", "PlaceFilled", "FutureJobFilled"]
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    with pytest.raises(fj.FutureJobClosed, match="filled"):
        run(forecast(jobs=2), attach("t1"), attach("t2"), fill("t1"), fill("t2"), attach("t3"))


def test_a_place_is_filled_only_by_a_candidate_learning_towards_it_once_the_job_began() -> None:
    with pytest.raises(RuleViolation, match="does not learn towards"):
        run(forecast(), fill("t1"))
    with pytest.raises(RuleViolation, match="once it has started"):
        run(forecast(), attach("t1"), fill("t1", on=date(2026, 12, 2)))


def test_a_reduction_names_the_candidates_it_leaves_without_a_place() -> None:
    reduce = fj.ReduceJobs(actor=AM, jobs=1, reason="minder omzet dan verwacht")
    state, events = run(forecast(jobs=3), attach("t1"), attach("t2"), attach("t3"), reduce)
    reduced = events[-1]
    assert isinstance(reduced, fj.JobsReduced)
    assert (reduced.previous_jobs, reduced.jobs, reduced.without_place) == (3, 1, 2)
    assert reduced.attached == ("t1", "t2", "t3")
    assert (state.jobs, state.without_place, state.free_places) == (1, 2, 0)
    with pytest.raises(RuleViolation, match="offers fewer"):
        run(forecast(jobs=3), fj.ReduceJobs(actor=AM, jobs=3, reason="x"))
    with pytest.raises(RuleViolation, match="filled already"):
        run(forecast(jobs=3), attach("t1"), attach("t2"), fill("t1"), fill("t2"),
            fj.ReduceJobs(actor=AM, jobs=1, reason="x"))  # fmt: skip


def test_reduced_to_its_filled_places_it_is_filled_and_still_lets_go_of_the_others() -> None:
    reduce = fj.ReduceJobs(actor=AM, jobs=1, reason="één plek minder")
    detach = fj.DetachCandidate(
        actor="coach-1", trajectory_id="t2", reason=fj.DetachReason.OTHER_EMPLOYER
    )
    state, events = run(forecast(jobs=2), attach("t1"), attach("t2"), fill("t1"), reduce, detach)
    assert state.status is fj.FutureJobStatus.FILLED and state.attached == ()
    assert [e.type for e in events][-3:] == ["JobsReduced", "FutureJobFilled", "CandidateDetached"]


def test_withdrawn_it_lists_who_learned_towards_it_and_takes_nothing_more() -> None:
    withdraw = fj.WithdrawFutureJob(actor=AM, reason="vestiging sluit")
    state, events = run(forecast(), attach("t1"), withdraw)
    assert isinstance(events[-1], fj.FutureJobWithdrawn) and events[-1].attached == ("t1",)
    assert state.status is fj.FutureJobStatus.WITHDRAWN and state.attached == ()
    with pytest.raises(fj.FutureJobClosed):
        run(
            forecast(),
            withdraw,
            fj.MoveExpectedDate(actor=AM, expected_on=date(2027, 10, 1), reason="x"),
        )


def test_it_expires_six_months_after_its_date_only_while_nobody_learns_towards_it() -> None:
    state, _ = run(forecast(expected_on=date(2027, 8, 31)))
    assert fj.expires_on(state) == date(2028, 2, 29)  # a leap year's last day of February
    deadline = fj.next_deadline(state)
    assert deadline is not None and deadline.kind == "expiry"
    due = deadline.at
    assert due.date() == date(2028, 2, 29) and due.hour == 9
    expire = fj.ReachExpiry(actor=fj.SYSTEM_ACTOR, due_on=date(2028, 2, 29))
    assert deadline.command() == expire
    later = due + timedelta(minutes=1)
    expired = fj.fold(fj.decide(state, expire, later), state)
    assert expired is not None and expired.status is fj.FutureJobStatus.EXPIRED
    with pytest.raises(RuleViolation, match="does not expire"):
        fj.decide(state, expire, due - timedelta(days=1))

    learning, _ = run(forecast(expected_on=date(2027, 8, 31)), attach("t1"))
    nearest = fj.next_deadline(learning)  # no expiry: the periodic check-in instead
    assert nearest is not None and nearest.kind == "check-in"
    with pytest.raises(RuleViolation, match="does not expire"):
        fj.decide(learning, expire, later)


def test_commands_before_the_forecast_and_a_second_forecast_are_refused() -> None:
    with pytest.raises(fj.FutureJobNotForecast):
        fj.decide(None, attach("t1"), NOW)
    with pytest.raises(fj.FutureJobAlreadyForecast):
        run(forecast(), forecast())
    with pytest.raises(RuleViolation, match="named twice"):
        run(forecast(required_skills=("heftruck", "heftruck")))


def test_its_events_read_back_from_their_json() -> None:
    _, events = run(forecast(), attach("t1"), fj.ReduceJobs(actor=AM, jobs=1, reason="x"))
    assert [fj.load_event(e.model_dump_json()) for e in events] == events


# --- the chase of a commitment -------------------------------------------------------------

DEC_22 = datetime(2026, 12, 22, 10, tzinfo=UTC)  # a Tuesday, before Christmas


def request(tid: str = "t1", **ladder: object) -> fj.RequestCommitment:
    extra = {"ladder": fj.ChaseLadder(**ladder)} if ladder else {}  # type: ignore[arg-type]
    return fj.RequestCommitment(actor="coach-1", trajectory_id=tid, **extra)  # type: ignore[arg-type]


def clock(state: fj.FutureJob, until: datetime) -> tuple[fj.FutureJob, list[fj.AnyEvent]]:
    """What the workflow's timers do: every deadline that falls due by `until`, in order."""
    events: list[fj.AnyEvent] = []
    while (due := fj.next_deadline(state)) is not None and due.at <= until:
        new = fj.decide(state, due.command(), due.at)
        events += new
        folded = fj.fold(new, state)
        assert folded is not None
        state = folded
    return state, events


def test_a_silent_employer_is_reminded_after_5_and_10_working_days_then_escalated() -> None:
    state, _ = run(forecast(), attach("t1"), request(), now=DEC_22)
    steps = state.chases["t1"].pending
    # Christmas (25, 26 December) and New Year's Day are not working days.
    assert [(s.kind.value, s.due_on) for s in steps] == [
        ("reminder", date(2026, 12, 30)),
        ("reminder", date(2027, 1, 7)),
        ("escalation", date(2027, 1, 14)),
    ]
    state, events = clock(state, datetime(2027, 2, 1, tzinfo=UTC))
    assert [(e.type, getattr(e, "reminder", None)) for e in events] == [
        ("EmployerReminded", 1), ("EmployerReminded", 2), ("ChaseEscalated", None),
    ]  # fmt: skip
    assert state.chases["t1"].escalated
    nearest = fj.next_deadline(state)  # nothing more to chase; t1 learns towards it
    assert nearest is not None and nearest.kind == "check-in"
    # The answer still counts after the escalation (the account manager phoned).
    answer = fj.RecordCommitment(
        actor="am-1", trajectory_id="t1", answer=fj.CommitmentAnswer.CONFIRMED
    )
    answered = fj.fold(fj.decide(state, answer, datetime(2027, 2, 2, tzinfo=UTC)), state)
    assert answered is not None and answered.chases["t1"].answer is fj.CommitmentAnswer.CONFIRMED


def test_an_answer_stops_the_chase() -> None:
    answer = fj.RecordCommitment(
        actor="am-1", trajectory_id="t1", answer=fj.CommitmentAnswer.DECLINED, reason="geen budget"
    )
    state, _ = run(forecast(), attach("t1"), request(), answer, now=DEC_22)
    assert state.chases["t1"].pending == ()
    _, events = clock(state, datetime(2027, 2, 1, tzinfo=UTC))
    assert events == []
    with pytest.raises(RuleViolation, match="no open request"):
        fj.decide(state, answer, DEC_22)
    with pytest.raises(RuleViolation, match="asked on 2026-12-22 already"):
        run(forecast(), attach("t1"), request(), request(), now=DEC_22)
    with pytest.raises(RuleViolation, match="does not learn towards"):
        run(forecast(), request(), now=DEC_22)


def test_a_moved_step_moves_the_steps_after_it_by_their_working_days() -> None:
    move = fj.MoveChase(
        actor="am-1", trajectory_id="t1", to=date(2027, 1, 11), reason="op vakantie"
    )
    state, events = run(forecast(), attach("t1"), request(), move, now=DEC_22)
    assert isinstance(events[-1], fj.ChaseMoved)
    assert [s.due_on for s in state.chases["t1"].pending] == [
        date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25),  # 5 working days apart, as before
    ]  # fmt: skip
    assert fj.next_deadline(state).due_on == date(2027, 1, 11)  # type: ignore[union-attr]
    _, fired = clock(state, datetime(2027, 1, 10, tzinfo=UTC))
    assert fired == []  # the old date of the first reminder passed without one
    with pytest.raises(RuleViolation, match="not a working day"):
        run(forecast(), attach("t1"), request(),
            fj.MoveChase(actor="am-1", trajectory_id="t1", to=date(2027, 1, 1), reason="x"),
            now=DEC_22)  # fmt: skip


def test_a_candidate_who_leaves_is_no_longer_chased_and_a_closed_job_chases_nobody() -> None:
    detach = fj.DetachCandidate(
        actor="coach-1", trajectory_id="t1", reason=fj.DetachReason.DROPPED_OUT
    )
    state, _ = run(forecast(), attach("t1"), request(), detach, now=DEC_22)
    assert "t1" not in state.chases
    withdrawn, _ = run(forecast(), attach("t1"), attach("t2"), request(), request("t2"),
                       fj.WithdrawFutureJob(actor="am-1", reason="x"), now=DEC_22)  # fmt: skip
    assert fj.next_deadline(withdrawn) is None


def test_a_ladder_must_rise() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="must rise"):
        fj.ChaseLadder(reminders=(10, 5), escalation=15)
    with pytest.raises(ValidationError, match="must rise"):
        fj.ChaseLadder(reminders=(5,), escalation=5)


def test_on_a_demo_clock_the_ladder_runs_in_seconds_with_the_same_working_days() -> None:
    day = timedelta(seconds=10)
    state, _ = run(
        forecast(day=day), attach("t1"), fj.RequestCommitment(actor=AM, trajectory_id="t1")
    )
    deadline = fj.next_deadline(state)
    assert deadline is not None and deadline.kind == "chase"
    # Tuesday 1 December + 5 working days is Tuesday 8 December: 7 demo days of 10 s.
    assert deadline.due_on == date(2026, 12, 8)
    assert deadline.at == NOW + 7 * day
    early = deadline.at - timedelta(seconds=1)
    with pytest.raises(RuleViolation):
        fj.decide(state, deadline.command(), early)
    [reminded] = fj.decide(state, deadline.command(), deadline.at)
    assert isinstance(reminded, fj.EmployerReminded)


def test_the_vacancy_is_confirmed_weeks_before_learning_ends_and_a_no_is_a_lost_place() -> None:
    # Learning ends Friday 4 June 2027; 8 weeks before is Friday 9 April, a working day.
    state, _ = run(
        forecast(), attach("t1"), fj.PlanLearning(actor="t", trajectory_id="t1",
                                                   ends_on=date(2027, 6, 4)),
    )  # fmt: skip
    assert state.learning["t1"].confirm_on == date(2027, 4, 9)
    assert fj.decide(state, fj.PlanLearning(actor="t", trajectory_id="t1",
                                            ends_on=date(2027, 6, 4)), NOW) == []  # fmt: skip
    deadline = fj.next_deadline(state)
    assert deadline is not None and deadline.kind == "check-in"  # 26 January comes first
    on = date(2027, 4, 9)
    vacancy = fj.Deadline(kind="vacancy", due_on=on, at=state.moment(on), trajectory_id="t1")
    with pytest.raises(RuleViolation):
        fj.decide(state, vacancy.command(), vacancy.at - timedelta(days=1))
    [asked] = fj.decide(state, vacancy.command(), vacancy.at)
    assert isinstance(asked, fj.CommitmentRequested)
    assert (asked.purpose, asked.job_on) == (fj.ChasePurpose.VACANCY, date(2027, 6, 4))
    state = fj.fold([asked], state)
    assert state is not None and state.learning["t1"].asked
    assert all(d.kind != "vacancy" for d in [fj.next_deadline(state)] if d)
    declined = fj.RecordCommitment(
        actor="emp", trajectory_id="t1", answer=fj.CommitmentAnswer.DECLINED, reason="geen"
    )
    no = fj.decide(state, declined, vacancy.at)
    assert fj.losing_place(no) == ("t1",)


def test_check_ins_come_every_eight_weeks_while_someone_learns_towards_it() -> None:
    state, _ = run(forecast(), attach("t1"))
    deadline = fj.next_deadline(state)
    assert deadline is not None and deadline.due_on == date(2026, 12, 1) + timedelta(weeks=8)
    [checked] = fj.decide(state, deadline.command(), deadline.at)
    assert isinstance(checked, fj.EmployerCheckedIn) and checked.learning == 1
    state = fj.fold([checked], state)
    assert state is not None and state.next_check_in_on == deadline.due_on + timedelta(weeks=8)

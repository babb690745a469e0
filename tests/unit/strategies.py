"""Hypothesis strategies for commands: mostly well-formed, often against the rules.

Arguments are drawn from small pools around the boundaries that `decide` checks (hours 0..41,
weeks up to past the maximum, a proposal to the intended employer itself), so that random
runs hit both sides of every rule. The personal data is always the factories' fictional
candidate, so that a run can look for it where it must not be; it is sealed once, here, for
each candidate reference (summaries too, so some are sealed for the wrong candidate).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import strategies as st

from domain import trajectory
from domain.shared import DomainError
from nbm import programmes
from tests import factories as f

ACTORS = st.sampled_from([f.COACH, "coach-bram", "acct-mgr-7"])
EMPLOYERS = st.sampled_from([f.EMPLOYER, "employer-b", "employer-c"])
TEXT = st.sampled_from(["needs more practice", "no vacancy after all", "see the file"])
SKILLS = st.lists(st.sampled_from(["ADL care", "forklift", "cooking", "Dutch B1"]), min_size=1)
WEEKS = st.integers(1, 104)
CANDIDATE_REFS = ("cand-0001", "cand-0002")
SEALED_PERSONAL = {ref: f.sealed_personal(candidate_ref=ref) for ref in CANDIDATE_REFS}
SEALED_SUMMARIES = st.none() | st.sampled_from(
    [f.sealed_text("see the file", candidate_ref=ref) for ref in CANDIDATE_REFS]
)

map_possibilities = st.builds(
    trajectory.MapPossibilities,
    actor=ACTORS,
    profile_skills=SKILLS.map(tuple),
    preconditions=st.builds(
        trajectory.Preconditions,
        employer_role=TEXT,
        werkbedrijf_role=TEXT,
        guarantee_possible=st.booleans(),
        learning_location=TEXT,
        training_institute=st.none() | TEXT,
    ),
)

SIGNATORIES = st.sampled_from(
    [tuple(trajectory.Signatory), tuple(trajectory.Signatory)[:2], (trajectory.Signatory.EMPLOYER,)]
)
"""Mostly all three; sometimes the training institute or the Werkbedrijf is missing."""


def _agreement(cls: type[trajectory.EstablishAgreement] | type[trajectory.AmendAgreement], **kw):
    return st.builds(
        cls,
        actor=ACTORS,
        commitment=st.sampled_from(trajectory.Commitment),
        duration_weeks=WEEKS,
        placements=PLANNED,
        training=st.lists(
            st.builds(
                trajectory.Training, institute=TEXT, course=TEXT, paid_by_employer=st.booleans()
            ),
            max_size=2,
        ).map(tuple),
        budget_eur=st.integers(0, 20_000),
        signed_by=SIGNATORIES,
        **kw,
    )


PLANNED = st.lists(
    st.builds(
        trajectory.PlannedPlacement,
        name=TEXT,
        weeks=st.integers(1, 40),
        hours_per_week=st.sampled_from([8, 16, 24]),
    ),
    min_size=1,
    max_size=3,
).map(tuple)

establish_agreement = _agreement(trajectory.EstablishAgreement)
amend_agreement = _agreement(trajectory.AmendAgreement, reason=TEXT)

match_candidate = st.sampled_from(CANDIDATE_REFS).flatmap(
    lambda ref: st.builds(
        trajectory.MatchCandidate,
        actor=ACTORS,
        candidate_ref=st.just(ref),
        personal=st.just(SEALED_PERSONAL[ref]),
        skills=st.lists(st.sampled_from(["care", "driving"]), max_size=2).map(tuple),
        # Mostly passed: a failed screen is one refusal, not the story of most runs.
        motivation_screen_passed=st.sampled_from([True, True, True, False]),
        language_level=st.none() | st.sampled_from(["A2", "B1"]),
        barriers=st.lists(st.sampled_from(trajectory.Barrier), max_size=2).map(tuple),
        information_meeting_attended=st.booleans(),
        # Mostly the whole conversation; sometimes it leaves a matter out.
        practical_matters=st.lists(st.sampled_from(trajectory.Barrier), max_size=3).map(
            lambda solve: f.practical_matters(*solve)
        )
        | st.just(f.practical_matters()[1:]),
    )
)

start_learning = st.builds(
    trajectory.StartLearning,
    actor=ACTORS,
    benefits_retained=st.booleans(),
    duration_weeks=st.none() | st.none() | WEEKS,
)

start_placement = st.builds(
    trajectory.StartPlacement,
    actor=ACTORS,
    name=TEXT,
    hours_per_week=st.sampled_from([8, 16, 24]),
    deviation=st.none() | TEXT,
)

record_evaluation = st.builds(
    trajectory.RecordEvaluation,
    actor=ACTORS,
    verdict=st.sampled_from(trajectory.EvaluationVerdict),
    employer_present=st.booleans(),
    summary=SEALED_SUMMARIES,
)

record_calamity = st.builds(
    trajectory.RecordCalamity,
    actor=ACTORS,
    calamity_kind=st.sampled_from(trajectory.CalamityKind),
    summary=SEALED_SUMMARIES,
)

resolve_calamity = st.builds(trajectory.ResolveCalamity, actor=ACTORS, number=st.integers(1, 4))

resolve_barrier = st.builds(
    trajectory.ResolveBarrier, actor=ACTORS, barrier=st.sampled_from(trajectory.Barrier)
)

extend_learning = st.builds(
    trajectory.ExtendLearning,
    actor=ACTORS,
    weeks=WEEKS,
    reason=TEXT,
    approved_by=st.none() | st.none() | ACTORS,
)

propose_other_employer = st.builds(
    trajectory.ProposeOtherEmployer, actor=ACTORS, employer_id=EMPLOYERS, reason=TEXT
)

record_regular_job = st.builds(
    trajectory.RecordRegularJob,
    actor=ACTORS,
    employer_id=EMPLOYERS,
    # The command lets any number through; the rule (1..40, and stated at all) is decide's.
    contract_hours_per_week=st.none() | st.integers(-1, 41),
    start_date=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    wage_cost_subsidy_pct=st.none() | st.integers(1, 99),
    benefit_ended=st.none() | st.booleans(),
    work_study=st.booleans(),
)

DATES_AROUND = st.dates(date(2026, 10, 1), date(2029, 12, 31))
wage_values = st.builds(
    trajectory.WageValueAssessment,
    wage_value_pct=st.integers(1, 100),
    assessed_by=st.sampled_from(["assessor-1", "assessor-2"]),
    assessed_on=DATES_AROUND,
)
record_regular_job_with_lks = st.builds(
    trajectory.RecordRegularJob,
    actor=ACTORS,
    employer_id=EMPLOYERS,
    contract_hours_per_week=st.integers(1, 40),
    start_date=st.dates(date(2026, 11, 1), date(2028, 12, 31)),
    benefit_end=st.sampled_from(trajectory.BenefitEnd),
    work_study=st.booleans(),
    wage_value=wage_values,
    subsidy_decided_on=DATES_AROUND,
    reassess_on=DATES_AROUND,
)
"""A regular job with a wage-cost subsidy and the four-valued benefit end (the dates in any
order, so that decide's checks are hit on both sides)."""

record_checkpoint = st.builds(
    trajectory.RecordCheckpoint,
    actor=ACTORS,
    month=st.sampled_from([1, 2, 3, 6, 12]),
    still_employed=st.booleans(),
    hours_per_week=st.none() | st.integers(1, 40),
    benefit_end=st.sampled_from(trajectory.BenefitEnd),
)

record_wage_value_reassessment = st.builds(
    trajectory.RecordWageValueReassessment,
    actor=ACTORS,
    wage_value=wage_values,
    subsidy_pct=st.none() | st.integers(1, 99),
    next_reassess_on=st.none() | DATES_AROUND,
)

record_follow_on_education = st.builds(
    trajectory.RecordFollowOnEducation, actor=ACTORS, institute=TEXT, course=TEXT
)

record_follow_up = st.builds(
    trajectory.RecordFollowUp,
    actor=ACTORS,
    still_employed=st.booleans(),
    benefit_ended=st.none() | st.booleans(),
)

end_trajectory = st.builds(
    trajectory.EndTrajectory,
    actor=ACTORS,
    reason=st.sampled_from(trajectory.ClosureReason),
    explanation=st.none() | TEXT,
)

coach_commands = st.one_of(
    map_possibilities,
    establish_agreement,
    amend_agreement,
    match_candidate,
    start_learning,
    start_placement,
    record_evaluation,
    record_calamity,
    resolve_calamity,
    resolve_barrier,
    extend_learning,
    propose_other_employer,
    record_regular_job,
    record_follow_on_education,
    record_follow_up,
    record_regular_job_with_lks,
    record_checkpoint,
    record_wage_value_reassessment,
    end_trajectory,
)
"""Any coach command, valid or not for the trajectory it is sent to."""

time_steps = st.one_of(
    st.integers(0, 48).map(lambda h: timedelta(hours=h)),
    st.integers(1, 20).map(lambda w: timedelta(weeks=w)),
)
"""How far the clock moves between two commands: hours, or weeks at a time."""


def start_trajectory(
    now: datetime, trajectory_id: str
) -> st.SearchStrategy[trajectory.StartTrajectory]:
    """A start whose expected date lies from a month ago to more than two years ahead."""
    return st.builds(
        trajectory.StartTrajectory,
        actor=ACTORS,
        trajectory_id=st.just(trajectory_id),
        route=st.sampled_from(trajectory.Route),
        programme=st.sampled_from([e.programme for e in programmes.catalogue().values()]),
        coach_id=ACTORS,
        future_job=st.builds(
            trajectory.FutureJob,
            employer_id=st.just(f.EMPLOYER),
            function=TEXT,
            expected_date=st.integers(-31, 800).map(lambda n: now.date() + timedelta(days=n)),
            number_of_jobs=st.integers(1, 20),
            required_skills=SKILLS.map(tuple),
        ),
    )


def happy_path(now: datetime, trajectory_id: str, weeks: int = 12) -> list[trajectory.AnyCommand]:
    """Steps 1 to 5 done right, so that short random runs still reach the late steps."""
    return [
        f.start(now, trajectory_id=trajectory_id),
        f.map_possibilities(),
        f.establish_agreement(weeks=weeks),
        # Sealed once, above: a fresh seal (a new nonce) would make two plays differ.
        f.match(personal=SEALED_PERSONAL[f.CANDIDATE_REF]),
        f.start_learning(),
    ]


FIRE = None
"""In a script: instead of a command, let the earliest pending timer fire."""

Script = list[tuple[timedelta, trajectory.AnyCommand | None]]

scripts: st.SearchStrategy[Script] = st.lists(
    st.tuples(time_steps, st.one_of(st.just(FIRE), coach_commands)), max_size=30
)
"""A run of commands, each after a pause; `FIRE` stands for the trajectory's own timer."""


def play(
    start: datetime, trajectory_id: str, prefix: int, script: Script
) -> tuple[list[trajectory.AnyEvent], list[DomainError]]:
    """The events the happy path's first `prefix` commands and then `script` are accepted with.

    Refusals are returned, not raised: a random script is expected to break rules.
    """
    now, state = start, None
    events: list[trajectory.AnyEvent] = []
    refused: list[DomainError] = []
    steps: Script = [(timedelta(0), c) for c in happy_path(start, trajectory_id)[:prefix]]
    for pause, command in steps + script:
        now += pause
        if command is FIRE:
            pending = trajectory.next_deadline(state)
            if pending is None:
                continue
            now = max(now, pending.at)
            command = trajectory.ReachDeadline(
                actor=trajectory.SYSTEM_ACTOR, deadline=pending.kind, due_at=pending.at
            )
        try:
            new = trajectory.decide(state, command, now)
        except DomainError as err:
            refused.append(err)
            continue
        events.extend(new)
        state = trajectory.fold(new, state)
    return events, refused

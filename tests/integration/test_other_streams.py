"""The store holds every aggregate's streams in one table and one pair of chains: a future
job, an employer and the people directory next to trajectories, and every reader copes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from activities import PostgresEventStore
from activities.projections import Projector
from domain import cohort, employer, future_job, matching, people, task
from domain.shared import Sealed
from domain.streams import AGGREGATE_OF_TYPE, DomainEvent
from domain.trajectory import Commitment
from nbm.audit import AuditError
from nbm.audit._chain import verify_store
from nbm.audit._trail import read_history
from tests.integration.test_event_store import history

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
SEALED = Sealed(key_id="person-key", nonce="AAAA", ciphertext="AAAA")


def others() -> list[list[DomainEvent]]:
    directory = people.decide(
        None,
        people.AddPerson(
            actor="admin", person_id="sup-1", role=people.Role.SUPERVISOR, contact=SEALED
        ),
        NOW,
    )
    boss = employer.decide(
        None,
        employer.RegisterEmployer(
            actor="am-1",
            employer_id="emp-1",
            organisation="Zorgcentrum De Linde",
            sector="zorg",
            account_manager_id="am-1",
        ),
        NOW,
    )
    job = future_job.decide(
        None,
        future_job.ForecastFutureJob(
            actor="am-1",
            future_job_id="fj-1",
            employer_id="emp-1",
            function="helpende",
            jobs=2,
            expected_on=date(2027, 9, 1),
            required_skills=("ADL",),
            commitment=Commitment.JOB_GUARANTEE,
        ),
        NOW,
    )
    attached = future_job.decide(
        future_job.fold(job), future_job.AttachCandidate(actor="c", trajectory_id="traj-1"), NOW
    )
    return [list(directory), list(boss), list(job), list(attached)]


async def test_every_aggregate_is_stored_read_verified_and_passed_by_the_projector(
    store: PostgresEventStore,
) -> None:
    trajectory_events = history("traj-1")
    await store.append(trajectory_events[:3])
    for events in others():
        assert await store.append(events) == len(events)
        assert await store.append(events) == 0  # idempotent, as for a trajectory
    await store.append(trajectory_events[3:])

    read = await store.read("fj-1")
    assert [e.type for e in read] == ["FutureJobForecast", "CandidateAttached"]
    assert future_job.fold(read).attached == ("traj-1",)  # type: ignore[arg-type,union-attr]
    assert [e.type for e in await store.read("people")] == ["PersonAdded"]
    assert [e.type for e in await store.read("emp-1")] == ["EmployerRegistered"]

    checked = await verify_store(store)
    assert checked.report.intact and checked.report.streams == 4

    # The trajectories' read models take the trajectory and pass over the rest.
    projector = Projector(store.pool)
    assert await projector.catch_up(batch=2) == len(trajectory_events) + 4
    assert await projector.quarantined() == []
    rows = await store.pool.fetch("SELECT trajectory_id FROM trajectory_summary")
    assert [r["trajectory_id"] for r in rows] == ["traj-1"]

    with pytest.raises(AuditError, match="is a future-job event, not a trajectory's"):
        await read_history(store, "fj-1")


def test_event_type_names_are_unique_across_the_aggregates() -> None:
    names = [
        m.model_fields["type"].default
        for union in (
            future_job.AnyEvent,
            employer.AnyEvent,
            people.AnyEvent,
            task.AnyEvent,
            matching.AnyEvent,
            cohort.AnyEvent,
        )
        for m in union.__args__[0].__args__  # type: ignore[attr-defined]
    ]
    assert len(names) == len(set(names))
    assert len(AGGREGATE_OF_TYPE) >= len(names) + 20  # the trajectory's too, none shadowed

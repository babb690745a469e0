"""Value objects and the validators of commands: what is refused before `decide` runs."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain import trajectory
from domain.shared import PersonalData, add_months, is_valid_bsn, months_later
from tests import factories as f
from tests.unit.story import T0

# Numbers that pass or fail the eleven-test, worked out by hand:
# 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6 * 11.
VALID_BSNS = ["111222333", "123456782", "999999990"]
INVALID_BSNS = [
    "123456789",  # a typo of a valid one: the last digit is off
    "000000000",  # passes the arithmetic, but is no one's number
    "11122233",  # eight digits
    "1112223330",  # ten digits
    "11122233a",
    "",
]


@pytest.mark.parametrize("bsn", VALID_BSNS)
def test_eleven_test_accepts_valid_numbers(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", INVALID_BSNS)
def test_eleven_test_refuses_invalid_numbers(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


def test_personal_data_strips_the_bsn() -> None:
    personal = PersonalData(name=f.CANDIDATE_NAME, bsn=f" {f.CANDIDATE_BSN} ")
    assert personal.bsn == f.CANDIDATE_BSN


@pytest.mark.parametrize("render", [repr, str, format])
def test_personal_data_never_shows_name_or_bsn(render: object) -> None:
    personal = PersonalData(name=f.CANDIDATE_NAME, bsn=f.CANDIDATE_BSN)
    text = render(personal)  # type: ignore[operator]
    assert f.CANDIDATE_NAME not in text
    assert f.CANDIDATE_BSN not in text
    assert "redacted" in text


def test_models_holding_personal_data_show_it_redacted() -> None:
    # A command or a state is what ends up in a log line or a traceback, not PersonalData alone.
    for model in (f.match(), f.match().personal):
        assert f.CANDIDATE_NAME not in repr(model)
        assert f.CANDIDATE_BSN not in repr(model)


def test_sealed_shows_whose_it_is_but_not_the_ciphertext() -> None:
    sealed = f.sealed_personal()
    for text in (repr(sealed), str(sealed)):
        assert "cand-0001" in text and sealed.ciphertext not in text and sealed.nonce not in text


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "fenna at example.nl"), ("phone", "call me"), ("health_notes", "x" * 2001)],
)
def test_personal_data_checks_its_contact_fields_without_echo(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=field) as caught:
        f.personal_data(**{field: value})
    assert value not in str(caught.value)


def test_personal_data_holds_contact_and_circumstances() -> None:
    personal = f.personal_data(
        email="fenna@example.nl",
        phone="+31 6 1234 5678",
        address="Stationsplein 1, Lelystad",
        health_notes="back problems",
        debt_notes="debt counselling since 2025",
        family_notes="two children",
    )
    assert personal.email == "fenna@example.nl" and personal.family_notes == "two children"
    assert "Lelystad" not in repr(personal) and "children" not in str(personal)


# A mistyped BSN is one digit away from a real person's number, so it is as sensitive.
NEAR_BSN = "111222334"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: PersonalData(name=f.CANDIDATE_NAME, bsn=NEAR_BSN), id="bsn"),
        pytest.param(
            lambda: PersonalData(name=f.CANDIDATE_NAME + "x" * 200, bsn=f.CANDIDATE_BSN),
            id="name-too-long",
        ),
    ],
)
def test_validation_error_holds_no_name_or_bsn(build: object) -> None:
    with pytest.raises(ValidationError, match=r"BSN|at most 200 characters") as caught:
        build()  # type: ignore[operator]
    for text in (str(caught.value), repr(caught.value)):
        assert NEAR_BSN not in text
        assert f.CANDIDATE_NAME not in text


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda: f.match(personal={"name": f.CANDIDATE_NAME, "bsn": NEAR_BSN}),
            id="in-command",
        ),
        pytest.param(
            lambda: trajectory.load_event(
                {
                    **f.match().model_dump(
                        mode="json", exclude={"kind", "motivation_screen_passed"}
                    ),
                    "type": "CandidateMatched",
                    "trajectory_id": "traj-1",
                    "version": 4,
                    "occurred_at": "2026-11-23T09:00:00Z",
                    "personal": {"name": f.CANDIDATE_NAME, "bsn": NEAR_BSN},
                }
            ),
            id="stored-event",
        ),
    ],
)
def test_plaintext_where_sealed_data_belongs_is_refused_without_echo(build: object) -> None:
    # A client that forgot to seal: refused, and the refusal does not repeat what it sent.
    with pytest.raises(ValidationError, match=r"personal.key_id\s+Field required") as caught:
        build()  # type: ignore[operator]
    for text in (str(caught.value), repr(caught.value)):
        assert NEAR_BSN not in text
        assert f.CANDIDATE_NAME not in text


def test_invalid_bsn_message_says_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match=r"not a valid BSN \(9 digits passing the eleven"):
        PersonalData(name=f.CANDIDATE_NAME, bsn="123456789")


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [
        (trajectory.ClosureReason.CANDIDATE_WITHDREW, trajectory.OutcomeType.NOT_PLACED),
        (trajectory.ClosureReason.FOUND_OTHER_WORK, trajectory.OutcomeType.PLACED),
        (trajectory.ClosureReason.HEALTH, trajectory.OutcomeType.NEUTRAL),
        (trajectory.ClosureReason.MOVED_AWAY, trajectory.OutcomeType.NEUTRAL),
        (trajectory.ClosureReason.EMPLOYER_WITHDREW, trajectory.OutcomeType.NOT_PLACED),
        (trajectory.ClosureReason.NO_SUITABLE_CANDIDATE, trajectory.OutcomeType.NOT_PLACED),
        (trajectory.ClosureReason.OTHER, trajectory.OutcomeType.NOT_PLACED),
    ],
)
def test_every_closure_reason_counts_as_an_outcome(
    reason: trajectory.ClosureReason, outcome: trajectory.OutcomeType
) -> None:
    assert reason.outcome_type is outcome


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 23), 24, date(2028, 11, 23)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 1, 31), 13, date(2028, 2, 29)),  # a leap year
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_counts_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "later"),
    [
        (date(2026, 11, 23), date(2028, 11, 23), False),  # exactly 24 months: still in
        (date(2026, 11, 23), date(2028, 11, 24), True),
        # 31 January + 24 months is 31 January; with days / 31, 1 March would have passed.
        (date(2026, 1, 31), date(2028, 1, 31), False),
        (date(2026, 1, 31), date(2028, 2, 1), True),
        (date(2025, 12, 31), date(2027, 12, 31), False),
    ],
)
def test_months_later_is_exact(start: date, end: date, later: bool) -> None:
    assert months_later(start, end, 24) is later


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: f.start(T0, trajectory_id="has space"), "trajectory_id"),
        (lambda: trajectory.StartTrajectory.model_validate({}), "trajectory_id"),
        (
            lambda: trajectory.MapPossibilities(
                actor=f.COACH, profile_skills=(), preconditions=None
            ),
            "profile_skills",
        ),
        (
            lambda: trajectory.EstablishAgreement.model_validate(
                {**f.establish_agreement().model_dump(), "duration_weeks": 0}
            ),
            "duration_weeks",
        ),
        (lambda: f.establish_agreement(weeks=105), "duration_weeks"),
        (
            lambda: trajectory.PlannedPlacement(name="intro", weeks=4, hours_per_week=41),
            "hours_per_week",
        ),
        (lambda: trajectory.StartPlacement(actor=f.COACH, name="  ", hours_per_week=16), "name"),
        (lambda: trajectory.ResolveCalamity(actor=f.COACH, number=0), "number"),
        (lambda: trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason=""), "reason"),
        (lambda: f.regular_job(wage_cost_subsidy_pct=100), "wage_cost_subsidy_pct"),
        (lambda: trajectory.EndTrajectory(actor=f.COACH, reason="fired-for-fun"), "reason"),
        (lambda: trajectory.StartLearning(actor=f.COACH, surprise=True), "surprise"),  # type: ignore[call-arg]
        (lambda: trajectory.StartLearning(actor="coach anna"), "actor"),
        (
            lambda: trajectory.FutureJob(
                employer_id="e", function="f", expected_date=date(2027, 1, 1), required_skills=()
            ),
            "required_skills",
        ),
    ],
)
def test_validators_refuse_malformed_commands(build: object, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        build()  # type: ignore[operator]


def test_commands_and_values_are_immutable() -> None:
    command = f.start_learning()
    with pytest.raises(ValidationError, match="frozen"):
        command.benefits_retained = False  # type: ignore[misc]


def test_times_for_coaches_are_in_their_zone_with_summer_time() -> None:
    from datetime import UTC, datetime

    from domain.shared import coach_time

    assert coach_time(datetime(2027, 1, 11, 9, tzinfo=UTC)) == "2027-01-11 10:00 (Europe/Amsterdam)"
    assert coach_time(datetime(2027, 7, 11, 9, tzinfo=UTC)) == "2027-07-11 11:00 (Europe/Amsterdam)"

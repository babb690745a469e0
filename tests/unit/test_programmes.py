"""Programmes as data: the shipped TOML files, a broken file refused by file, field and
problem, a template change that leaves running trajectories on their version; the placement
ladder's gate, skip and repeat; the benefit-retention clock; Werkfit handed over into an NBM
programme within one history; Van Werk naar Werk's start and its 6-month measure."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import trajectory
from domain.shared import RuleViolation, WrongStep
from nbm import programmes
from tests import factories as f

from .story import T0, WEEK, Story, started

SHIPPED = {
    "standard", "small-scale-growth", "large-scale-growth", "wijkleerbedrijf",
    "wijkleerbedrijf-logistiek", "wijkleerbedrijf-techniek", "werkfit", "van-werk-naar-werk",
    "demo",
}  # fmt: skip


def test_every_shipped_programme_is_a_valid_file() -> None:
    entries = programmes.catalogue()
    assert set(entries) == SHIPPED
    for programme_id, entry in entries.items():
        assert entry.path.name == f"{programme_id}.toml"
        assert programmes.load_file(entry.path) == entry.programme


def test_the_shipped_programmes_say_what_the_sources_say() -> None:
    werkfit = programmes.programme("werkfit")
    assert werkfit.learning_weeks == 12 and werkfit.evaluation_every_weeks == 2
    assert sum(r.weeks for r in werkfit.successive_rungs) == 12
    assert [r.rung_id for r in werkfit.ladder] == [
        "taal-werkcultuur", "vakjargon", "vca", "meeloopdagen",
    ]  # fmt: skip
    zorg = programmes.programme("wijkleerbedrijf")
    assert zorg.job_alongside_learning and zorg.learning_weeks == 104
    first = zorg.successive_rungs[0]
    assert (first.rung_id, first.weeks, first.kind) == (
        "leerhome", 4, trajectory.RungKind.INTRODUCTION,
    )  # fmt: skip
    adl = next(r for r in zorg.ladder if r.rung_id == "adl-stage")
    assert adl.hours_per_week == 16
    assert {r.rung_id for r in zorg.ladder if r.alongside} == {"roc", "nt2"}
    assert zorg.school_days_per_week == 1
    assert programmes.programme("wijkleerbedrijf-logistiek").learning_weeks == 26
    vwnw = programmes.programme("van-werk-naar-werk")
    assert vwnw.work_to_work is not None and vwnw.work_to_work.goal_within_weeks == 26
    assert vwnw.benefit_retention is None  # still employed: no benefits to keep
    assert programmes.programme("demo").week == timedelta(seconds=10)
    for entry in programmes.catalogue().values():
        budget = entry.programme.budget
        assert budget is not None and budget.per_year_eur == 5000


def test_unknown_programme_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown programme 'nope'; known: demo, large-scale"):
        programmes.programme("nope")


GOOD = """
programme_id = "{id}"
name = "Test"
version = {version}
evaluation_every_weeks = {every}

[[ladder]]
rung_id = "a"
name = "Eerste"
kind = "introduction"
weeks = 4
hours_per_week = 16
shelter = 5

[[ladder]]
rung_id = "b"
name = "Tweede"
kind = "internship"
weeks = 8
hours_per_week = 16
shelter = 3
"""


def write(folder: Path, programme_id: str = "eigen", **kw: object) -> Path:
    values = {"id": programme_id, "version": 1, "every": 6, **kw}
    path = folder / f"{programme_id}.toml"
    path.write_text(GOOD.format(**values), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("weeks = 8", "weeks = 0"), "ladder.1.weeks", "greater than or equal to 1"),
        (("weeks = 8", 'weeks = "acht"'), "ladder.1.weeks", "valid integer"),
        (("shelter = 3", "shelter = 5\nfoo = 1"), "ladder.1.foo", "Extra inputs"),
        (("shelter = 3", "shelter = 6"), "ladder.1.shelter", "less than or equal to 5"),
        (('kind = "internship"', 'kind = "holiday"'), "ladder.1.kind", "'internship'"),
        (("version = 1", "version = 0"), "version", "greater than or equal to 1"),
        (('name = "Test"', "name = 3"), "name", "valid string"),
        (('name = "Test"', 'name = "Test"\nroute = "nowhere"'), "route", "werkfit"),
        (('name = "Test"', 'name = "Test"\nsteps = ["5-learning-in"]'), "steps", "6-outcome"),
    ],
)
def test_a_broken_file_is_refused_with_file_field_and_problem(
    tmp_path: Path, change: tuple[str, str], field: str, problem: str
) -> None:
    path = write(tmp_path)
    old, new = change
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(trajectory.ProgrammeFileError) as caught:
        programmes.load_file(path)
    err = caught.value
    assert err.source == str(path)
    assert any(f == field and problem in p for f, p in err.problems), err.problems
    assert str(path) in str(err) and field in str(err)


def test_the_ladder_goes_from_more_to_less_sheltered(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(path.read_text().replace("shelter = 3", "shelter = 5\n", 1).replace(
        "shelter = 5\n\n[[ladder]]", "shelter = 2\n\n[[ladder]]", 1))  # fmt: skip
    with pytest.raises(trajectory.ProgrammeFileError, match="more sheltered than 'a'"):
        programmes.load_file(path)


def test_bad_toml_and_a_wrong_file_name_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.toml"
    bad.write_text('programme_id = "kapot\n', encoding="utf-8")
    with pytest.raises(trajectory.ProgrammeFileError, match=r"kapot.toml: \(the file\): not valid"):
        programmes.load_file(bad)
    other = write(tmp_path, "anders")
    other.rename(tmp_path / "verkeerd.toml")
    with pytest.raises(trajectory.ProgrammeFileError, match="programme_id: 'anders' is not"):
        programmes.load_file(tmp_path / "verkeerd.toml")


def test_a_new_programme_is_a_new_file_and_a_broken_one_refuses_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "eigen")
    monkeypatch.setenv(programmes.ENV_DIR, str(tmp_path))
    assert programmes.programme("eigen").ladder[1].rung_id == "b"
    (tmp_path / "stuk.toml").write_text("name = 1\n", encoding="utf-8")
    with pytest.raises(trajectory.ProgrammeFileError, match=r"stuk.toml: programme_id: Field"):
        programmes.catalogue()


def test_a_template_change_leaves_running_trajectories_on_their_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(programmes.ENV_DIR, str(tmp_path))
    write(tmp_path, "eigen", version=1, every=6)
    running = Story(T0)
    running.do(f.start(T0, trajectory_id="traj-v1", programme="eigen"))
    write(tmp_path, "eigen", version=2, every=2)  # the file changes
    newer = Story(T0)
    newer.do(f.start(T0, trajectory_id="traj-v2", programme="eigen"))
    for story in (running, newer):
        story.do(f.map_possibilities())
        story.do(f.establish_agreement(12))
        story.do(f.match())
        story.do(f.start_learning())
    assert running.trajectory.programme.version == 1
    assert running.deadline(trajectory.DeadlineKind.EVALUATION).at == T0 + 6 * WEEK
    assert newer.trajectory.programme.version == 2
    assert newer.deadline(trajectory.DeadlineKind.EVALUATION).at == T0 + 2 * WEEK


# --- the placement ladder ---------------------------------------------------------------------

LADDER = ("Introductie in het Leerhome", "Oriëntatiestage in de wijk", "ADL-stage")


def on_the_ladder() -> Story:
    """A WijkLeerbedrijf trajectory whose agreement plans the programme's own ladder."""
    story = started(programme="wijkleerbedrijf")
    story.do(f.map_possibilities())
    rungs = programmes.programme("wijkleerbedrijf").ladder
    terms = f.establish_agreement(104).model_copy(
        update={
            "placements": tuple(
                trajectory.PlannedPlacement(
                    name=r.name, weeks=r.weeks, hours_per_week=r.hours_per_week
                )
                for r in rungs
            )
        }
    )  # fmt: skip
    story.do(terms)
    story.do(f.match())
    story.later(WEEK).do(f.start_learning())
    return story


def place(
    story: Story, name: str, reason: str | None = None, hours: int = 16
) -> trajectory.PlacementStarted:
    [event] = story.do(
        trajectory.StartPlacement(actor=f.COACH, name=name, hours_per_week=hours, deviation=reason)
    )
    assert isinstance(event, trajectory.PlacementStarted)
    return event


def evaluate(story: Story, verdict: str = "on-track") -> None:
    story.do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict(verdict), employer_present=True
        )
    )


def test_each_rung_waits_for_an_evaluation() -> None:
    story = on_the_ladder()
    assert place(story, LADDER[0]).ladder_move is trajectory.LadderMove.FIRST
    with pytest.raises(RuleViolation, match="no evaluation since it started"):
        place(story, LADDER[1])
    story.later(4 * WEEK)
    evaluate(story, "off-track")
    with pytest.raises(RuleViolation, match="off track: repeat the rung"):
        place(story, LADDER[1])
    evaluate(story)
    assert place(story, LADDER[1]).ladder_move is trajectory.LadderMove.NEXT
    assert [p.ladder_move for p in story.trajectory.placements] == [
        trajectory.LadderMove.FIRST, trajectory.LadderMove.NEXT,
    ]  # fmt: skip


def test_a_rung_is_skipped_or_repeated_only_with_a_reason() -> None:
    story = on_the_ladder()
    place(story, LADDER[0])
    story.later(4 * WEEK)
    evaluate(story)
    with pytest.raises(RuleViolation, match="skips 'Oriëntatiestage in de wijk'"):
        place(story, LADDER[2])
    skipped = place(story, LADDER[2], reason="kent de wijk al: werkte er als vrijwilliger")
    assert skipped.ladder_move is trajectory.LadderMove.SKIP
    assert skipped.skipped == (LADDER[1],)
    assert skipped.deviation is not None  # the reason (the CLI seals it: free text)
    story.later(6 * WEEK)
    evaluate(story, "concerns")
    with pytest.raises(RuleViolation, match="repeats a rung"):
        place(story, LADDER[2])
    repeated = place(story, LADDER[2], reason="nog niet zelfstandig")
    assert repeated.ladder_move is trajectory.LadderMove.REPEAT


def test_alongside_rungs_and_programmes_without_a_ladder_have_no_gate() -> None:
    story = on_the_ladder()
    place(story, LADDER[0])
    roc = place(story, "Schooldag ROC (mbo niveau 2)", hours=8)
    assert roc.ladder_move is trajectory.LadderMove.ALONGSIDE
    plain = started()  # the standard programme: no ladder
    plain.do(f.map_possibilities())
    plain.do(f.establish_agreement(52))
    plain.do(f.match())
    plain.do(f.start_learning())
    assert place(plain, "introduction").ladder_move is None
    assert place(plain, "ADL internship").ladder_move is None  # no evaluation needed


@given(st.lists(st.sampled_from(["place-next", "evaluate", "evaluate-off", "later"]), max_size=25))
def test_no_rung_ever_starts_without_an_evaluation_since_the_one_before(moves: list[str]) -> None:
    story = on_the_ladder()
    place(story, LADDER[0])
    verdicts: list[str] = []  # the evaluations since the current rung started, in order
    for m in moves:
        if m == "later":
            story.later(WEEK)
        elif m.startswith("evaluate"):
            verdict = "off-track" if m == "evaluate-off" else "on-track"
            evaluate(story, verdict)
            verdicts.append(verdict)
        else:
            current = LADDER.index(story.trajectory.placements[-1].name)
            if current + 1 == len(LADDER):
                continue
            allowed = bool(verdicts) and verdicts[-1] != "off-track"
            try:
                place(story, LADDER[current + 1])
            except RuleViolation:
                assert not allowed
            else:
                assert allowed
                verdicts = []


# --- the benefit-retention clock --------------------------------------------------------------


def werkfit(weeks: int = 12) -> Story:
    story = started(programme="werkfit")
    story.do(f.map_possibilities())
    story.do(f.establish_agreement(weeks))
    story.do(f.match())
    story.do(f.start_learning())
    return story


def test_the_coach_is_warned_before_learning_with_benefits_runs_out() -> None:
    story = werkfit(24)  # Werkfit: at most 26 weeks with benefits, warned 2 weeks before
    ends = story.trajectory.benefit_retention_ends_at
    assert ends == T0 + 26 * WEEK
    warning = story.deadline(trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING)
    assert warning.at == T0 + 24 * WEEK
    story.later(24 * WEEK - timedelta(seconds=1))
    with pytest.raises(WrongStep, match="not due before"):
        story.do(
            trajectory.ReachDeadline(
                actor=trajectory.SYSTEM_ACTOR, deadline=warning.kind, due_at=warning.at
            )
        )
    fired = story.reach(trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING)
    assert [e.type for e in fired] == ["BenefitRetentionEnding", "EscalationRaised"]
    raised = fired[1]
    assert isinstance(raised, trajectory.EscalationRaised)
    assert raised.reason is trajectory.EscalationReason.BENEFIT_RETENTION_ENDING
    assert "supervisor" in raised.message
    kinds = {d.kind for d in trajectory.deadlines(story.state)}
    assert trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING not in kinds  # once


def test_an_extension_past_the_maximum_needs_a_supervisor() -> None:
    story = started(programme="small-scale-growth")  # 52 weeks with benefits, of 104
    story.do(f.map_possibilities())
    story.do(f.establish_agreement(50))
    story.do(f.match())
    story.do(f.start_learning())
    extend = trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason="meer oefenen")
    with pytest.raises(RuleViolation, match=r"met behoud van uitkering.*supervisor can approve"):
        story.decide(extend)
    assert story.decide(extend.model_copy(update={"weeks": 2}))  # up to the maximum itself
    approved = extend.model_copy(update={"approved_by": "supervisor-1"})
    [event] = story.do(approved)
    assert isinstance(event, trajectory.LearningExtended) and event.approved_by == "supervisor-1"


def test_learning_longer_than_the_maximum_does_not_start_with_benefits() -> None:
    story = started(programme="werkfit")
    story.do(f.map_possibilities())
    story.do(f.establish_agreement(26))
    story.do(f.match())
    assert story.decide(f.start_learning())  # 26 weeks: just the maximum
    longer = started(programme="small-scale-growth")
    longer.do(f.map_possibilities())
    longer.do(f.establish_agreement(60))
    longer.do(f.match())
    with pytest.raises(RuleViolation, match="longer than the 52 weeks programme small-scale"):
        longer.decide(f.start_learning())
    without = trajectory.StartLearning(actor=f.COACH, benefits_retained=False)
    [event] = longer.do(without)
    assert isinstance(event, trajectory.LearningStarted)
    assert event.benefit_retention_ends_at is None


def test_a_municipality_sets_its_own_maximum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (programmes.SHIPPED / "werkfit.toml").read_text(encoding="utf-8")
    text = text.replace("version = 1", "version = 2")  # another content, another version
    text = text.replace("warn_weeks_before = 2", "warn_weeks_before = 2\n\n"
                        "[benefit_retention.municipalities]\nlelystad = 20")  # fmt: skip
    (tmp_path / "werkfit.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(programmes.ENV_DIR, str(tmp_path))
    chosen = programmes.programme("werkfit", "lelystad")
    assert chosen.benefit_retention_weeks == 20
    with pytest.raises(RuleViolation, match=r"names only lelystad.*its 26 weeks apply"):
        programmes.programme("werkfit", "almere")  # unknown: not silently the default
    with pytest.raises(RuleViolation, match="names only lelystad") as caught:
        programmes.programme("werkfit", "Jan Jansen 111222333")
    assert "111222333" not in str(caught.value)  # a mistyped value is not echoed
    with pytest.raises(RuleViolation, match="no maximum of learning with benefits"):
        programmes.programme("standard", "lelystad")


# --- chaining: Werkfit into an NBM programme --------------------------------------------------


def hand_over(into: str = "large-scale-growth") -> trajectory.HandOver:
    chosen = programmes.programme(into)
    return trajectory.HandOver(
        actor=f.COACH,
        programme=chosen,
        route=chosen.route or trajectory.Route.SMALL_SCALE_GROWTH,
        future_job=f.start(T0).future_job.model_copy(update={"employer_id": "employer-nbm"}),
        reason="Werkfit afgerond; klaar voor een toekomstige baan",
    )


def test_werkfit_hands_over_into_an_nbm_programme_in_one_history() -> None:
    story = werkfit(12)
    story.later(12 * WEEK).reach(trajectory.DeadlineKind.LEARNING_END)
    [event] = story.do(hand_over())
    assert isinstance(event, trajectory.HandedOver) and event.from_programme_id == "werkfit"
    state = story.trajectory
    assert state.programme.programme_id == "large-scale-growth"
    assert state.route is trajectory.Route.LARGE_SCALE_GROWTH
    assert state.step is trajectory.Step.AGREEMENT_OR_MATCH  # the candidate comes along
    assert state.candidate is not None and state.employer_id == "employer-nbm"
    assert [(h.from_programme_id, h.to_programme_id) for h in state.handovers] == [
        ("werkfit", "large-scale-growth"),
    ]  # fmt: skip
    assert trajectory.deadlines(state) == []
    # The NBM route goes on in the same stream: agreement, learning on its own clock.
    story.do(f.establish_agreement(52))
    story.do(f.start_learning())
    assert story.deadline(trajectory.DeadlineKind.EVALUATION).at == story.now + 6 * WEEK
    assert {e.trajectory_id for e in story.events} == {story.trajectory.trajectory_id}
    assert [e.version for e in story.events] == list(range(1, len(story.events) + 1))
    assert trajectory.fold(story.events) == story.state  # an auditor's replay: one path


def test_a_handover_goes_only_where_the_programme_allows() -> None:
    story = werkfit(12)
    with pytest.raises(RuleViolation, match=r"hands over only into standard.*not into werkfit"):
        story.decide(hand_over("werkfit"))
    plain = started()
    with pytest.raises(RuleViolation, match="programme standard hands over into no other"):
        plain.decide(hand_over())
    unmatched = started(programme="werkfit")
    with pytest.raises(WrongStep, match="match a candidate first"):
        unmatched.decide(hand_over())


# --- Van Werk naar Werk -----------------------------------------------------------------------


def work_to_work(**kw: object) -> trajectory.StartTrajectory:
    start = f.start(T0, programme="van-werk-naar-werk")
    return start.model_copy(update=kw)


def test_van_werk_naar_werk_starts_from_the_outgoing_employer_and_the_dismissal_date() -> None:
    with pytest.raises(RuleViolation, match="outgoing employer and the dismissal date"):
        Story(T0).decide(work_to_work())
    leaving = trajectory.WorkToWorkStart(
        outgoing_employer_id="employer-old", dismissal_date=date(2027, 3, 1)
    )
    with pytest.raises(RuleViolation, match="is for route work-to-work, not small-scale"):
        Story(T0).decide(
            work_to_work(work_to_work=leaving, route=trajectory.Route.SMALL_SCALE_GROWTH)
        )
    with pytest.raises(RuleViolation, match="is not Van Werk naar Werk"):
        Story(T0).decide(f.start(T0).model_copy(update={"work_to_work": leaving}))
    story = Story(T0)
    story.do(work_to_work(work_to_work=leaving))
    assert story.trajectory.work_to_work == leaving
    assert story.trajectory.placed_within_goal is None


@pytest.mark.parametrize(("days", "within"), [(7 * 26 - 1, True), (7 * 26 + 1, False)])
def test_van_werk_naar_werk_measures_a_new_job_within_six_months(days: int, within: bool) -> None:
    leaving = trajectory.WorkToWorkStart(
        outgoing_employer_id="employer-old", dismissal_date=date(2027, 3, 1)
    )
    story = Story(T0)
    story.do(work_to_work(work_to_work=leaving))
    story.do(f.map_possibilities())
    story.do(f.establish_agreement(13))
    story.do(f.match())
    story.do(f.start_learning())
    start = (T0 + timedelta(days=days)).date()
    story.later(timedelta(days=days)).do(f.regular_job(32, start_date=start))
    assert story.trajectory.placed_within_goal is within


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("evaluation_every_weeks = 6", 'evaluation_every_weeks = 6\nweek = "P1000Y"'), "week",
         "to 7 days"),
        (("evaluation_every_weeks = 6", 'evaluation_every_weeks = 6\nweek = "PT0.001S"'), "week",
         "from 1 second"),
        (("weeks = 8", "weeks = true"), "ladder.1.weeks", "true/false where a number"),
    ],
)  # fmt: skip
def test_values_a_file_may_not_hold(
    tmp_path: Path, change: tuple[str, str], field: str, problem: str
) -> None:
    test_a_broken_file_is_refused_with_file_field_and_problem(tmp_path, change, field, problem)


def test_across_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(programmes.ENV_DIR, str(tmp_path))
    shipped = (programmes.SHIPPED / "werkfit.toml").read_text(encoding="utf-8")
    same = tmp_path / "werkfit.toml"
    same.write_text(shipped, encoding="utf-8")
    assert programmes.programme("werkfit").version == 1  # the very same content: fine
    same.write_text(shipped.replace("evaluation_every_weeks = 2", "evaluation_every_weeks = 52"))
    with pytest.raises(trajectory.ProgrammeFileError, match=r"version: replaces .*version 1: give"):
        programmes.catalogue()
    same.write_text(same.read_text().replace("version = 1", "version = 2"))
    assert programmes.programme("werkfit").evaluation_every_weeks == 52
    same.write_text(
        shipped.replace("version = 1", "version = 3").replace(
            'hands_over_to = ["standard"', 'hands_over_to = ["nergens"'
        )
    )
    with pytest.raises(trajectory.ProgrammeFileError, match="hands_over_to: no programme nergens"):
        programmes.catalogue()


def test_a_start_whose_copy_would_not_read_back_is_refused_before_it_starts() -> None:
    from nbm import service

    start = f.start(T0, programme="werkfit")
    bad = start.programme.model_copy(update={"municipality": "Jan Jansen 111222333"})
    with pytest.raises(service.CommandRefused, match="invalid start") as caught:
        service.check_start(start.model_copy(update={"programme": bad}), now=T0)
    assert "111222333" not in str(caught.value)


def test_the_weeks_with_benefits_before_a_handover_count_towards_the_maximum() -> None:
    story = werkfit(12)  # 12 weeks with benefits in Werkfit
    story.later(12 * WEEK).reach(trajectory.DeadlineKind.LEARNING_END)
    story.later(2 * WEEK).do(hand_over("small-scale-growth"))  # 52 weeks with benefits at most
    assert story.trajectory.benefit_time_used == 12 * WEEK  # not the 2 weeks in between
    story.do(f.establish_agreement(44))
    with pytest.raises(RuleViolation, match=r"52 weeks programme small-scale.*12 of them used"):
        story.decide(f.start_learning())
    story.do(f.establish_agreement(40))  # established again, shorter: Werkfit's weeks count
    [event] = story.do(f.start_learning())
    assert isinstance(event, trajectory.LearningStarted)
    assert event.benefit_retention_ends_at == story.now + 40 * WEEK


@pytest.mark.parametrize(
    ("dismissal", "problem"),
    [(date(2025, 11, 1), "more than 12 months before"), (date(2029, 1, 1), "24 months ahead")],
)
def test_a_dismissal_date_lies_near_the_start(dismissal: date, problem: str) -> None:
    leaving = trajectory.WorkToWorkStart(outgoing_employer_id="old", dismissal_date=dismissal)
    with pytest.raises(RuleViolation, match=problem):
        Story(T0).decide(work_to_work(work_to_work=leaving))

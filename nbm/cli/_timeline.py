"""What each event says to an auditor, in words: who did what, when and why.

Reasons are shown as recorded (closure, extension, escalation, another employer, a verdict);
personal fields never are: sealed values and summaries appear as `[personal data]`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain import trajectory
from domain.shared import COACH_TIME_ZONE

PERSONAL = "[personal data]"


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _text(value: Any) -> str:
    # A free text the domain keeps in clear is shown; anything else there (a sealed value,
    # once a field is sealed) is personal data.
    return value if isinstance(value, str) else PERSONAL


def _yes(value: bool | None) -> str:
    return "does not apply" if value is None else "yes" if value else "no"


_BENEFIT = {
    trajectory.BenefitEnd.FULLY: "yes",
    trajectory.BenefitEnd.PARTLY: "partly",
    trajectory.BenefitEnd.CONTINUES: "no",
    trajectory.BenefitEnd.NOT_APPLICABLE: "does not apply",
}


def _benefit(kind: trajectory.BenefitEnd | None, ended: bool | None) -> str:
    return _BENEFIT[kind or trajectory.BenefitEnd.of(ended)]


def _signed(signed_by: tuple[trajectory.Signatory, ...]) -> str:
    return f"; signed by {', '.join(s.value for s in signed_by)}" if signed_by else ""


def why(e: trajectory.AnyEvent) -> str:
    """What the event says, in words, with reasons; personal fields only as `[personal data]`."""
    match e:
        case trajectory.TrajectoryStarted():
            leaving = (
                f"; leaves {e.work_to_work.outgoing_employer_id}, dismissal "
                f"{e.work_to_work.dismissal_date}" if e.work_to_work else ""
            )  # fmt: skip
            return (
                f"route {e.route.value}, programme {e.programme.programme_id} (version "
                f"{e.programme.version}); future job {_text(e.future_job.function)} at "
                f"{e.future_job.employer_id}{leaving}"
            )
        case trajectory.PossibilitiesMapped():
            return f"job guarantee possible: {_yes(e.preconditions.guarantee_possible)}"
        case trajectory.AgreementEstablished():
            return (
                f"{e.commitment.value}, {e.duration_weeks} weeks, budget EUR {e.budget_eur:,}"
                + _signed(e.signed_by)
            )
        case trajectory.AgreementAmended():
            return (
                f"amended: {e.commitment.value}, {e.duration_weeks} weeks, budget EUR "
                f"{e.budget_eur:,}{_signed(e.signed_by)}: {_text(e.reason)}"
            )
        case trajectory.CandidateMatched():
            meeting = "; information meeting attended" if e.information_meeting_attended else ""
            matters = (
                f"; practical matters discussed: {len(e.practical_matters)}"
                if e.practical_matters
                else ""
            )
            return f"candidate {e.candidate_ref}; identity {PERSONAL}{meeting}{matters}"
        case trajectory.LearningStarted():
            return f"until {e.ends_at.date()}; benefits retained: {_yes(e.benefits_retained)}"
        case trajectory.PlacementStarted():
            deviation = f"; not as agreed: {_text(e.deviation)}" if e.deviation else ""
            ladder = f"; ladder: {e.ladder_move.value}" if e.ladder_move else ""
            skipped = f" ({', '.join(e.skipped)})" if e.skipped else ""
            return (
                f"placement {e.number}: {_text(e.name)}, {e.hours_per_week} h/week"
                f"{ladder}{skipped}{deviation}"
            )
        case trajectory.BenefitRetentionEnding():
            return f"learning with benefits reaches its maximum {utc(e.ends_at)}"
        case trajectory.HandedOver():
            reason = f": {_text(e.reason)}" if e.reason is not None else ""
            left = f"; place at {e.from_future_job_id} let go" if e.from_future_job_id else ""
            return (
                f"programme {e.from_programme_id} → {e.programme.programme_id} (version "
                f"{e.programme.version}), route {e.route.value}; future job "
                f"{_text(e.future_job.function)} at {e.future_job.employer_id}{left}{reason}"
            )
        case trajectory.EvaluationDue():
            return f"due {utc(e.due_at)}" + (" (already evaluated)" if e.already_evaluated else "")
        case trajectory.EvaluationRecorded():
            summary = f"; summary {PERSONAL}" if e.summary is not None else ""
            return f"verdict {e.verdict.value}; employer present: {_yes(e.employer_present)}" + (
                summary
            )
        case trajectory.CalamityRecorded():
            summary = f"; summary {PERSONAL}" if e.summary is not None else ""
            return f"calamity {e.number} ({e.calamity_kind.value})" + summary
        case trajectory.CalamityResolved():
            return f"calamity {e.number} resolved"
        case trajectory.BarrierResolved():
            return f"barrier {e.barrier.value} resolved"
        case trajectory.EscalationRaised():
            return f"{e.reason.value}: {_text(e.message)}"
        case trajectory.LearningExtended():
            approved = f" (approved by {e.approved_by})" if e.approved_by else ""
            return f"extended by {e.weeks} weeks{approved}: {_text(e.reason)}"
        case trajectory.ProposedToOtherEmployer():
            return f"to {e.employer_id}: {_text(e.reason)}"
        case trajectory.RegularJobStarted():
            kind = "work-study (BBL) job " if e.work_study else ""
            return (
                f"{kind}at {e.employer_id}, {e.contract_hours_per_week} h/week from "
                f"{e.start_date}; benefit ended: {_benefit(e.benefit_end, e.benefit_ended)}"
            )
        case trajectory.WageCostSubsidyDecided():
            return (
                f"LKS {e.subsidy_pct}% on a wage value of {e.assessment.wage_value_pct}% "
                f"(assessed {e.assessment.assessed_on} by {e.assessment.assessed_by}); decided "
                f"{e.decided_on}; re-assessment {e.reassess_on}"
            )
        case trajectory.WageValueReassessmentDue():
            return f"wage value to be assessed again ({e.reassess_on})"
        case trajectory.WageValueReassessed():
            lks = f"LKS {e.subsidy_pct}%" if e.subsidy_pct else "LKS ends"
            return (
                f"wage value {e.assessment.wage_value_pct}% (assessed {e.assessment.assessed_on} "
                f"by {e.assessment.assessed_by}); {lks}; next: {e.next_reassess_on or 'none'}"
            )
        case trajectory.CheckpointsScheduled():
            return "checkpoints at " + ", ".join(
                f"{m} month{'s' * (m > 1)} ({t.astimezone(COACH_TIME_ZONE).date()})"
                for m, t in zip(e.months, e.due_at, strict=True)
            )
        case trajectory.CheckpointDue() | trajectory.CheckpointMissed():
            return f"the {e.month}-month checkpoint"
        case trajectory.CheckpointRecorded():
            hours = f", {e.hours_per_week} h/week" if e.hours_per_week else ""
            return (
                f"{e.month} month{'s' * (e.month > 1)}: still employed: "
                f"{_yes(e.still_employed)}{hours}; "
                f"benefit ended: {_benefit(e.benefit_end, None)}"
            )
        case trajectory.FollowUpRecorded():
            return (
                f"still employed: {_yes(e.still_employed)}; benefit ended: {_yes(e.benefit_ended)}"
            )
        case trajectory.FollowOnEducationStarted():
            return f"{_text(e.institute)}: {_text(e.course)}"
        case trajectory.TrajectoryClosed():
            explanation = f": {_text(e.explanation)}" if e.explanation is not None else ""
            return f"{_text(e.reason)} ({e.outcome_type.value}){explanation}"
    return ""  # LearningPeriodEnded, FollowUpDue: the type says it all


def history_rows(events: list[trajectory.AnyEvent]) -> list[dict[str, Any]]:
    return [
        {
            "version": e.version,
            "occurred_at": e.occurred_at.astimezone(UTC).isoformat(),
            "effective_at": e.at.astimezone(UTC).isoformat(),
            "actor": e.actor,
            "type": e.type,
            "why": why(e),
        }
        for e in events
    ]

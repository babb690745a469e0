"""What each event says to an auditor, in words: who did what, when and why.

Reasons are shown as recorded (closure, extension, escalation, another employer, a verdict);
personal fields never are: sealed values and summaries appear as `[personal data]`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain import trajectory
from domain.shared import COACH_TIME_ZONE
from nbm.i18n import N_, _, ngettext

PERSONAL = "[personal data]"


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _text(value: Any) -> str:
    # A free text the domain keeps in clear is shown; anything else there (a sealed value,
    # once a field is sealed) is personal data.
    return value if isinstance(value, str) else PERSONAL


def _yes(value: bool | None) -> str:
    return _("does not apply") if value is None else _("yes") if value else _("no")


_BENEFIT = {
    trajectory.BenefitEnd.FULLY: N_("yes"),
    trajectory.BenefitEnd.PARTLY: N_("partly"),
    trajectory.BenefitEnd.CONTINUES: N_("no"),
    trajectory.BenefitEnd.NOT_APPLICABLE: N_("does not apply"),
}


def _benefit(kind: trajectory.BenefitEnd | None, ended: bool | None) -> str:
    return _(_BENEFIT[kind or trajectory.BenefitEnd.of(ended)])


def _signed(signed_by: tuple[trajectory.Signatory, ...]) -> str:
    return (
        _("; signed by {join}").format(join=", ".join(s.value for s in signed_by))
        if signed_by
        else ""
    )


def why(e: trajectory.AnyEvent) -> str:
    """What the event says, in words, with reasons; personal fields only as `[personal data]`."""
    match e:
        case trajectory.TrajectoryStarted():
            leaving = (
                _("; leaves {employer}, dismissal {date}").format(
                    employer=e.work_to_work.outgoing_employer_id,
                    date=e.work_to_work.dismissal_date,
                )
                if e.work_to_work
                else ""
            )
            return _(
                "route {value}, programme {programme_id} (version {version}); future "
                "job {function} at {employer_id}{leaving}"
            ).format(
                value=e.route.value,
                programme_id=e.programme.programme_id,
                version=e.programme.version,
                function=_text(e.future_job.function),
                employer_id=e.future_job.employer_id,
                leaving=leaving,
            )
        case trajectory.PossibilitiesMapped():
            return _("job guarantee possible: {guarantee_possible}").format(
                guarantee_possible=_yes(e.preconditions.guarantee_possible)
            )
        case trajectory.AgreementEstablished():
            return _("{value}, {duration_weeks} weeks, budget EUR {budget_eur:,}").format(
                value=e.commitment.value, duration_weeks=e.duration_weeks, budget_eur=e.budget_eur
            ) + _signed(e.signed_by)
        case trajectory.AgreementAmended():
            return _(
                "amended: {value}, {duration_weeks} weeks, budget EUR "
                "{budget_eur:,}{signed_by}: {reason}"
            ).format(
                value=e.commitment.value,
                duration_weeks=e.duration_weeks,
                budget_eur=e.budget_eur,
                signed_by=_signed(e.signed_by),
                reason=_text(e.reason),
            )
        case trajectory.CandidateMatched():
            meeting = _("; information meeting attended") if e.information_meeting_attended else ""
            matters = (
                _("; practical matters discussed: {practical_matters}").format(
                    practical_matters=len(e.practical_matters)
                )
                if e.practical_matters
                else ""
            )
            return _("candidate {candidate_ref}; identity {PERSONAL}{meeting}{matters}").format(
                candidate_ref=e.candidate_ref, PERSONAL=PERSONAL, meeting=meeting, matters=matters
            )
        case trajectory.LearningStarted():
            return _("until {date}; benefits retained: {benefits_retained}").format(
                date=e.ends_at.date(), benefits_retained=_yes(e.benefits_retained)
            )
        case trajectory.PlacementStarted():
            deviation = (
                _("; not as agreed: {deviation}").format(deviation=_text(e.deviation))
                if e.deviation
                else ""
            )
            ladder = (
                _("; ladder: {value}").format(value=e.ladder_move.value) if e.ladder_move else ""
            )
            skipped = f" ({', '.join(e.skipped)})" if e.skipped else ""
            return _(
                "placement {number}: {name}, {hours_per_week} h/week{ladder}{skipped}{deviation}"
            ).format(
                number=e.number,
                name=_text(e.name),
                hours_per_week=e.hours_per_week,
                ladder=ladder,
                skipped=skipped,
                deviation=deviation,
            )
        case trajectory.BenefitRetentionEnding():
            return _("learning with benefits reaches its maximum {ends_at}").format(
                ends_at=utc(e.ends_at)
            )
        case trajectory.HandedOver():
            reason = f": {_text(e.reason)}" if e.reason is not None else ""
            left = (
                _("; place at {from_future_job_id} let go").format(
                    from_future_job_id=e.from_future_job_id
                )
                if e.from_future_job_id
                else ""
            )
            return _(
                "programme {from_programme_id} → {programme_id} (version {version}), "
                "route {value}; future job {function} at {employer_id}{left}{reason}"
            ).format(
                from_programme_id=e.from_programme_id,
                programme_id=e.programme.programme_id,
                version=e.programme.version,
                value=e.route.value,
                function=_text(e.future_job.function),
                employer_id=e.future_job.employer_id,
                left=left,
                reason=reason,
            )
        case trajectory.EvaluationDue():
            return _("due {due_at}").format(due_at=utc(e.due_at)) + (
                _(" (already evaluated)") if e.already_evaluated else ""
            )
        case trajectory.EvaluationRecorded():
            summary = (
                _("; summary {PERSONAL}").format(PERSONAL=PERSONAL) if e.summary is not None else ""
            )
            return _("verdict {value}; employer present: {employer_present}").format(
                value=e.verdict.value, employer_present=_yes(e.employer_present)
            ) + (summary)
        case trajectory.CalamityRecorded():
            summary = (
                _("; summary {PERSONAL}").format(PERSONAL=PERSONAL) if e.summary is not None else ""
            )
            return (
                _("calamity {number} ({value})").format(
                    number=e.number, value=e.calamity_kind.value
                )
                + summary
            )
        case trajectory.CalamityResolved():
            return _("calamity {number} resolved").format(number=e.number)
        case trajectory.BarrierResolved():
            return _("barrier {value} resolved").format(value=e.barrier.value)
        case trajectory.EscalationRaised():
            return f"{e.reason.value}: {_text(e.message)}"
        case trajectory.LearningExtended():
            approved = (
                _(" (approved by {approved_by})").format(approved_by=e.approved_by)
                if e.approved_by
                else ""
            )
            return _("extended by {weeks} weeks{approved}: {reason}").format(
                weeks=e.weeks, approved=approved, reason=_text(e.reason)
            )
        case trajectory.ProposedToOtherEmployer():
            return f"to {e.employer_id}: {_text(e.reason)}"
        case trajectory.RegularJobStarted():
            kind = _("work-study (BBL) job ") if e.work_study else ""
            return _(
                "{kind}at {employer_id}, {contract_hours_per_week} h/week from "
                "{start_date}; benefit ended: {benefit_end}"
            ).format(
                kind=kind,
                employer_id=e.employer_id,
                contract_hours_per_week=e.contract_hours_per_week,
                start_date=e.start_date,
                benefit_end=_benefit(e.benefit_end, e.benefit_ended),
            )
        case trajectory.WageCostSubsidyDecided():
            return _(
                "LKS {subsidy_pct}% on a wage value of {wage_value_pct}% (assessed "
                "{assessed_on} by {assessed_by}); decided {decided_on}; re-assessment "
                "{reassess_on}"
            ).format(
                subsidy_pct=e.subsidy_pct,
                wage_value_pct=e.assessment.wage_value_pct,
                assessed_on=e.assessment.assessed_on,
                assessed_by=e.assessment.assessed_by,
                decided_on=e.decided_on,
                reassess_on=e.reassess_on,
            )
        case trajectory.WageValueReassessmentDue():
            return _("wage value to be assessed again ({reassess_on})").format(
                reassess_on=e.reassess_on
            )
        case trajectory.WageValueReassessed():
            lks = f"LKS {e.subsidy_pct}%" if e.subsidy_pct else _("LKS ends")
            return _(
                "wage value {wage_value_pct}% (assessed {assessed_on} by "
                "{assessed_by}); {lks}; next: {value}"
            ).format(
                wage_value_pct=e.assessment.wage_value_pct,
                assessed_on=e.assessment.assessed_on,
                assessed_by=e.assessment.assessed_by,
                lks=lks,
                value=e.next_reassess_on or _("none"),
            )
        case trajectory.CheckpointsScheduled():
            return _("checkpoints at ") + ", ".join(
                ngettext("{count} month ({date})", "{count} months ({date})", m).format(
                    count=m, date=t.astimezone(COACH_TIME_ZONE).date()
                )
                for m, t in zip(e.months, e.due_at, strict=True)
            )
        case trajectory.CheckpointDue() | trajectory.CheckpointMissed():
            return _("the {month}-month checkpoint").format(month=e.month)
        case trajectory.CheckpointRecorded():
            hours = (
                _(", {hours_per_week} h/week").format(hours_per_week=e.hours_per_week)
                if e.hours_per_week
                else ""
            )
            return ngettext(
                "{count} month: still employed: {still_employed}{hours}; "
                "benefit ended: {benefit_end}",
                "{count} months: still employed: {still_employed}{hours}; "
                "benefit ended: {benefit_end}",
                e.month,
            ).format(
                count=e.month,
                still_employed=_yes(e.still_employed),
                hours=hours,
                benefit_end=_benefit(e.benefit_end, None),
            )
        case trajectory.FollowUpRecorded():
            return _("still employed: {still_employed}; benefit ended: {benefit_ended}").format(
                still_employed=_yes(e.still_employed), benefit_ended=_yes(e.benefit_ended)
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

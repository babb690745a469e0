"""The matching's service layer, shared by `nbm match` and the tests: a function profile made
from a future job, the rankings read from the matching's state, and the Algoritmeregister
entry as Markdown."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from domain import future_job, matching
from domain.matching import FunctionProfile, Proposal, RegisterEntry, Sector, Vocabulary
from domain.shared import N_

from . import stream_service as streams
from .service import CommandRefused, ServiceError
from .skills import VocabularyError, load_vocabulary

SECTORS = frozenset(s.value for s in Sector)


def vocabulary(esco_dir: Path | None) -> Vocabulary:
    try:
        return load_vocabulary(esco_dir)
    except VocabularyError as err:
        raise ServiceError(N_("{reason}"), code="vocabulary", reason=str(err)) from None


def skill_uris(words: list[str], vocab: Vocabulary) -> tuple[str, ...]:
    """The URIs of skills named by label, alternative label or URI; every unknown named."""
    found: list[str] = []
    unknown: list[str] = []
    for word in words:
        skill = vocab.find(word)
        if skill is None:
            unknown.append(word[:60])
        else:
            found.append(skill.uri)
    if unknown:
        raise ServiceError(
            N_("not in the vocabulary: {skills} (search with `nbm match vocabulary`)"),
            code="unknown-skill",
            skills=", ".join(repr(u) for u in unknown),
        )
    return tuple(found)


async def function_from_future_job(
    client: Client, future_job_id: str, vocab: Vocabulary, **fields: object
) -> FunctionProfile:
    """A function profile from a future job: its function, employer, the employer's sector
    and its required skills mapped through the vocabulary; `fields` add the rest."""
    job: future_job.FutureJob = await streams.future_job_state(client, future_job_id)
    boss = await streams.employer_state(client, job.employer_id)
    return FunctionProfile.model_validate(
        {
            "profile_id": f"fp-{future_job_id}",
            "function": job.function,
            "future_job_id": job.future_job_id,
            "employer_id": job.employer_id,
            # The employer's sector when it is one of the list (else: none, or `sector=`).
            "sector": boss.sector.casefold() if boss.sector.casefold() in SECTORS else None,
            "required_skills": skill_uris(list(job.required_skills), vocab),
            **{k: v for k, v in fields.items() if v is not None},
        }
    )


def functions_for(state: matching.Matching, future_job_id: str) -> list[FunctionProfile]:
    found = state.functions_of(future_job_id)
    if not found:
        raise ServiceError(
            N_(
                "no function profile for {future_job_id}: make one with "
                "`nbm match profile function --future-job {future_job_id}`"
            ),
            code="unknown-profile",
            future_job_id=future_job_id,
        )
    return found


def candidates_for(
    state: matching.Matching, profile: FunctionProfile, vocab: Vocabulary
) -> list[Proposal]:
    return matching.rank_candidates(profile, state.candidates.values(), vocab)


def jobs_for(state: matching.Matching, candidate_ref: str, vocab: Vocabulary) -> list[Proposal]:
    try:
        candidate = state.candidate(candidate_ref)
    except matching.UnknownProfile as err:
        raise CommandRefused.of(err) from None
    return matching.rank_jobs(candidate, state.functions.values(), vocab)


def register_markdown(entry: RegisterEntry) -> str:
    """The entry as Markdown, in the order of the Algoritmeregister's publication standard."""
    rate = (
        f"{entry.override_rate:.0%} ({entry.overrode_top} van / of {entry.decisions} beslissingen)"
        if entry.override_rate is not None
        else "nog geen beslissingen of geen verbinding / no decisions yet or no connection"
    )
    rows = "\n".join(
        f"| {f.label_nl} ({f.name}) | {f.max_points:g} | {', '.join(f.reads)} | {f.how_nl} |"
        for f in entry.features
    )
    bullets = lambda items: "\n".join(f"- {i}" for i in items)  # noqa: E731
    return f"""# {entry.name}

| veld | waarde |
| --- | --- |
| Organisatie | {entry.organisation} |
| Publicatiecategorie | {entry.publication_category} |
| Status | {entry.status} |
| Wettelijke basis | {entry.legal_basis} |
| AI-verordening | {entry.ai_act} |
| Rangschikking, versie | {entry.ranking_version} |
| Afwijkingen van het voorstel (override rate) | {rate} |
| Contact | {entry.contact or "—"} |

## Korte omschrijving
{entry.description_short}

## Doel en impact
{entry.goal_and_impact}

## Menselijke tussenkomst
{entry.human_intervention}

## Uitleg bij elk voorstel
{entry.explanation_given}

## Werking
{entry.methods_and_models}

| kenmerk | max. punten | leest | hoe |
| --- | --- | --- | --- |
{rows}

## Gebruikte gegevens
{bullets(entry.source_data)}

## Niet gebruikte gegevens
{bullets(entry.data_not_used)}

## Risicobeheer
{entry.risk_management}

## Bekende risico's
{bullets(entry.known_risks)}
"""

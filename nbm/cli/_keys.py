"""The candidates' keys for the commands that seal or open personal data.

Only `match`, `--summary`, `show --show-personal` and `nbm candidate` come here: every other
command works on the trajectory's non-personal facts and never touches a key. The CLI needs
NBM_KEK and NBM_DATABASE_URL for these (the embedded stack provides both).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from activities.access_log import Action, Purpose
from activities.key_store import CandidateErased, KeyStoreError, PostgresKeyStore
from domain import trajectory
from domain.shared import ContactDetails, PersonalData, Sealed, is_opaque_id
from nbm.i18n import _
from nbm.settings import Settings
from privacy.keyring import Keyring
from privacy.seal import SealError, open_personal, seal_contact, seal_text

from ._common import CliError, default_actor
from ._db import Role, connected

MAX_SUMMARY = 2000


@asynccontextmanager
async def key_store(
    config: Settings, kek: Keyring | None = None
) -> AsyncIterator[PostgresKeyStore]:
    """The key store of the configured database (under `kek`, default the configured KEK);
    its problems become one-line `CliError`s."""
    kek = kek or config.resolved_kek()  # a ConfigError before anything connects
    missing = _("the database has no key store yet: start the worker once, which migrates it")
    async with connected(config, role=Role.KEYS, missing=missing) as pool:
        try:
            yield PostgresKeyStore(pool, kek)
        except KeyStoreError as err:
            raise CliError(str(err)) from None


def check_summary(summary: str | None) -> str | None:
    """The summary as typed, stripped; a `CliError` that does not repeat it if unusable."""
    if summary is None:
        return None
    text = summary.strip()
    if not text or len(text) > MAX_SUMMARY:
        raise CliError(
            _("--summary: must hold 1 to {MAX_SUMMARY} characters").format(MAX_SUMMARY=MAX_SUMMARY)
        )
    return text


async def seal_summary(config: Settings, state: trajectory.Trajectory, text: str) -> Sealed:
    """`text` sealed with the key of the trajectory's candidate."""
    if state.candidate is None:
        raise CliError(
            _("--summary: no candidate has been matched yet, so there is no key to seal it with")
        )
    ref = state.candidate.candidate_ref
    async with key_store(config) as keys:
        try:
            key = await keys.key_for(ref, create=False)
        except CandidateErased as err:
            raise CliError(_("{err}; record it without --summary").format(err=err)) from None
    return seal_text(text, key, ref)


async def seal_free_text(config: Settings, state: trajectory.Trajectory, text: str) -> Sealed:
    """A coach's free text (a reason, an explanation) sealed before it leaves this process:
    with the candidate's key, or before the match (or after an erasure) with a key of the
    trajectory's own, whose id is the trajectory's."""
    ref = state.candidate.candidate_ref if state.candidate else state.trajectory_id
    async with key_store(config) as keys:
        try:
            key = await keys.key_for(ref, create=ref == state.trajectory_id)
        except CandidateErased:  # about someone erased: sealed apart from their data
            ref = state.trajectory_id
            key = await keys.key_for(ref, create=True)
    return seal_text(text, key, ref)


async def reveal(
    config: Settings, candidate: trajectory.Candidate, purpose: Purpose
) -> PersonalData | None:
    """The candidate's personal data, or None when it was erased.

    The reading is logged first (who, whom, why; `nbm audit access-log`): data whose reading
    cannot be logged is not shown. Who is the configured NBM_ACTOR or the operating-system
    user, never a command-line option.
    """
    reader = config.actor if config.actor and is_opaque_id(config.actor) else default_actor()
    async with key_store(config) as keys:
        try:
            key = await keys.key_for(candidate.candidate_ref, create=False)
        except CandidateErased:
            return None
        await keys.log_access(
            actor=reader, candidate_ref=candidate.candidate_ref, purpose=purpose, action=Action.SHOW
        )
    try:
        return open_personal(candidate.personal, key, candidate.candidate_ref)
    except SealError as err:
        raise CliError(str(err)) from None


async def seal_contact_details(config: Settings, ref: str, details: ContactDetails) -> Sealed:
    """A person's contact details sealed with their own key (made now, under `ref`)."""
    async with key_store(config) as keys:
        key = await keys.key_for(ref, create=True)
    return seal_contact(details, key, ref)


async def seal_stream_text(config: Settings, ref: str, text: str) -> Sealed:
    """A free text typed about a future job (a reason), sealed with that future job's own
    key: whatever a person typed into it, erasing the key (`nbm candidate erase <id>`)
    makes it unreadable everywhere."""
    async with key_store(config) as keys:
        key = await keys.key_for(ref, create=True)
    return seal_text(text, key, ref)

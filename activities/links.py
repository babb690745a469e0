"""Answer links: signed, expiring, single-use tokens that lead an employer to one form.

A token names the link (the mail's key), the future job and the trajectory the answer is
for, and nothing else: ids, never a name. It is signed with NBM_LINK_SECRET (HMAC-SHA256,
`itsdangerous`) and carries when it was made, so a forged or changed token fails its
signature and an old one its age. Single use is the database's: `link_uses` holds a row per
used link, taken in the same step as the answer is sent (see `nbm.employer_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "nbm-answer-link-v1"


class LinkRefused(Exception):
    """A link that must change nothing; `reason` is one of forged, expired, malformed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Link:
    link_id: str
    future_job_id: str
    trajectory_id: str


class LinkSigner:
    """Makes and checks answer tokens with one secret and one lifetime."""

    def __init__(self, secret: bytes, valid_for: timedelta) -> None:
        if len(secret) < 32:
            raise ValueError("the link secret must be at least 32 bytes")
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self._max_age = int(valid_for.total_seconds())

    def token(self, link: Link, *, made_at: int | None = None) -> str:
        """The link's token; `made_at` (seconds since the epoch) backdates it (tests)."""
        signer = self._serializer.make_signer(SALT)
        if made_at is not None:
            signer.get_timestamp = lambda: made_at  # type: ignore[attr-defined,method-assign]
        payload = self._serializer.dump_payload(
            [link.link_id, link.future_job_id, link.trajectory_id]
        )
        return signer.sign(payload).decode()

    def check(self, token: str) -> Link:
        """The link of a token that is genuine and not expired.

        Raises:
            LinkRefused: forged or changed ("forged"), too old ("expired"), not a token.
        """
        if not token or len(token) > 1000:
            raise LinkRefused("malformed")
        try:
            fields = self._serializer.loads(token, max_age=self._max_age)
        except SignatureExpired:
            raise LinkRefused("expired") from None
        except BadSignature:
            raise LinkRefused("forged") from None
        if not (isinstance(fields, list) and len(fields) == 3 and all(
            isinstance(f, str) for f in fields
        )):  # fmt: skip
            raise LinkRefused("malformed")
        return Link(*fields)

"""A candidate's personal data, and the sealed form that is all that ever leaves the client."""

from __future__ import annotations

from pydantic import field_validator

from ._errors import N_
from ._values import Base64, NonEmpty, Note, OpaqueId, Phone, Value


class PersonalData(Value):
    """The candidate's identity and circumstances: special-category data (GDPR art. 9).

    The plaintext form, used only on the client side: what leaves the client is this model
    sealed with the candidate's key (`Sealed`), never the model itself. `__repr__`/`__str__`
    are masked, so an accidental log line or error shows none of it.
    """

    name: NonEmpty
    bsn: str
    external_ref: NonEmpty | None = None
    """Another system's reference for the person (a client number): it identifies them."""
    email: NonEmpty | None = None
    phone: Phone | None = None
    address: NonEmpty | None = None
    health_notes: Note | None = None
    debt_notes: Note | None = None
    family_notes: Note | None = None

    @field_validator("bsn")
    @classmethod
    def _valid_bsn(cls, v: str) -> str:
        digits = v.strip()
        if not is_valid_bsn(digits):
            # The value itself never appears in the message.
            raise ValueError(N_("is not a valid BSN (9 digits passing the eleven-test)"))
        return digits

    @field_validator("email")
    @classmethod
    def _valid_email(cls, v: str | None) -> str | None:
        local, at, domain = (v or "").partition("@")
        if v is not None and not (local and at and "." in domain and " " not in v):
            raise ValueError(N_("is not an e-mail address"))
        return v

    def __repr__(self) -> str:
        return "PersonalData(<redacted>)"

    __str__ = __repr__


class ContactDetails(Value):
    """How to reach a person at an employer or in the Werkbedrijf: name, e-mail, phone.

    Personal data: sealed with the person's own key before it leaves the client, opened only
    where a mail is sent to them. Masked in `repr`, as `PersonalData`.
    """

    name: NonEmpty
    email: NonEmpty
    phone: Phone | None = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, v: str) -> str:
        local, at, domain = v.partition("@")
        if not (local and at and "." in domain and " " not in v and "\n" not in v):
            raise ValueError(N_("is not an e-mail address"))
        return v

    def __repr__(self) -> str:
        return "ContactDetails(<redacted>)"

    __str__ = __repr__


class Sealed(Value):
    """Personal data encrypted on the client with the candidate's own key (AES-256-GCM).

    This is all that the workflow, its history, the events table and the logs ever hold of
    a candidate's personal data. Destroying the candidate's key (erasure) makes every copy
    unreadable at once, while the hash chain over the events, which covers this ciphertext,
    still verifies. The domain neither opens nor checks it; `privacy.seal` does.
    """

    key_id: OpaqueId
    """Whose key sealed it: the candidate's reference (never a name)."""
    nonce: Base64
    ciphertext: Base64

    def __repr__(self) -> str:
        return f"Sealed(key_id={self.key_id!r}, <ciphertext>)"

    __str__ = __repr__


def is_valid_bsn(value: str) -> bool:
    """The eleven-test (elfproef) of a Dutch citizen service number."""
    if len(value) != 9 or not value.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(value, weights, strict=True))
    return total % 11 == 0 and value != "000000000"


FreeText = Sealed | NonEmpty
"""A free text a coach types about a person (a reason, an explanation).

Sealed on the client with the candidate's key, or before the match with the trajectory's
own key (its `key_id` is the trajectory's id); in clear only in events recorded before the
coach's tool sealed them, which must still load.
"""

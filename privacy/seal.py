"""Sealing a candidate's personal data on the client, with the candidate's own key.

AES-256-GCM with a random 96-bit nonce per message. The associated data binds each blob to
its candidate reference and to what it is (the personal data or a free text), so a blob
copied into another candidate's record, or from a summary into the personal data, does not
open. What leaves the client is only the `domain.shared.Sealed` value: destroying the candidate's
key (`activities.key_store`) makes every copy of it, in PostgreSQL, in the Temporal history
and in any backup, unreadable at once.
"""

from __future__ import annotations

import base64
import binascii

from pydantic import ValidationError

from domain.shared import ContactDetails, PersonalData, Sealed

from .envelope import NONCE_BYTES, Envelope, EnvelopeError

_PERSONAL = "personal"
_TEXT = "text"
_CONTACT = "contact"


class SealError(Exception):
    """A sealed value that cannot be opened: wrong key, altered, or moved to another candidate.

    The message names the candidate reference only; never key material or plaintext.
    """

    def __init__(self, message: str, *, key_id: str) -> None:
        super().__init__(message)
        self.key_id = key_id


def aad_for(purpose: str, candidate_ref: str) -> bytes:
    """The associated data of a blob: what it is and whose it is."""
    return f"nbm:{purpose}:{candidate_ref}".encode()


def seal(plaintext: bytes, key: bytes, key_id: str, aad: bytes) -> Sealed:
    """`plaintext` encrypted with `key` (AES-256-GCM), bound to `aad`."""
    blob = Envelope(key).encrypt(plaintext, aad)
    return Sealed(
        key_id=key_id,
        nonce=base64.b64encode(blob[:NONCE_BYTES]).decode(),
        ciphertext=base64.b64encode(blob[NONCE_BYTES:]).decode(),
    )


def open_sealed(sealed: Sealed, key: bytes, aad: bytes) -> bytes:
    """The plaintext of `sealed`.

    Raises:
        SealError: `key` is not the key it was sealed with, the blob was altered, or `aad`
            differs (it was moved to another candidate or field).
    """
    envelope = Envelope(key)
    try:
        nonce = base64.b64decode(sealed.nonce, validate=True)
        ciphertext = base64.b64decode(sealed.ciphertext, validate=True)
        if len(nonce) != NONCE_BYTES:
            raise EnvelopeError("not a nonce")
        return envelope.decrypt(nonce + ciphertext, aad)
    except (EnvelopeError, binascii.Error):
        raise SealError(
            f"sealed data of candidate {sealed.key_id} does not open with this key "
            "(wrong key, altered, or not this candidate's)",
            key_id=sealed.key_id,
        ) from None


def seal_personal(data: PersonalData, key: bytes, candidate_ref: str) -> Sealed:
    """The candidate's personal data, sealed for the `MatchCandidate` command."""
    plaintext = data.model_dump_json(exclude_none=True).encode()
    return seal(plaintext, key, candidate_ref, aad_for(_PERSONAL, candidate_ref))


def open_personal(sealed: Sealed, key: bytes, candidate_ref: str) -> PersonalData:
    """The personal data in `sealed`; `SealError` if it is not `candidate_ref`'s."""
    plaintext = open_sealed(sealed, key, aad_for(_PERSONAL, candidate_ref))
    try:
        return PersonalData.model_validate_json(plaintext)
    except ValidationError:
        # Authentic but not personal data: a bug in whoever sealed it; hide its content.
        raise SealError(
            f"sealed data of candidate {candidate_ref} is not personal data", key_id=candidate_ref
        ) from None


def seal_text(text: str, key: bytes, candidate_ref: str) -> Sealed:
    """A free text about the candidate (a summary), sealed with the candidate's key."""
    return seal(text.encode(), key, candidate_ref, aad_for(_TEXT, candidate_ref))


def open_text(sealed: Sealed, key: bytes, candidate_ref: str) -> str:
    """The text in `sealed`; `SealError` if it is not `candidate_ref`'s."""
    return open_sealed(sealed, key, aad_for(_TEXT, candidate_ref)).decode()


def seal_contact(details: ContactDetails, key: bytes, ref: str) -> Sealed:
    """A person's contact details (an employer's contact, a coach), sealed with their key."""
    plaintext = details.model_dump_json(exclude_none=True).encode()
    return seal(plaintext, key, ref, aad_for(_CONTACT, ref))


def open_contact(sealed: Sealed, key: bytes, ref: str) -> ContactDetails:
    """The contact details in `sealed`; `SealError` if they are not `ref`'s."""
    plaintext = open_sealed(sealed, key, aad_for(_CONTACT, ref))
    try:
        return ContactDetails.model_validate_json(plaintext)
    except ValidationError:
        raise SealError(f"sealed data of {ref} are not contact details", key_id=ref) from None

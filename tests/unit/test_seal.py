"""Sealing personal data with the candidate's key: it opens only with that key, for that one."""

from __future__ import annotations

import base64
import os

import pytest

from domain.shared import Sealed
from privacy import seal
from tests import factories as f

KEY = f.TEST_CANDIDATE_KEY
REF = f.CANDIDATE_REF


def test_personal_data_round_trips() -> None:
    personal = f.personal_data(email="fenna@example.nl", debt_notes="debt counselling")
    sealed = seal.seal_personal(personal, KEY, REF)
    assert sealed.key_id == REF
    assert seal.open_personal(sealed, KEY, REF) == personal


def test_text_round_trips() -> None:
    sealed = seal.seal_text("moved out last week", KEY, REF)
    assert seal.open_text(sealed, KEY, REF) == "moved out last week"


def test_the_sealed_value_holds_no_plaintext() -> None:
    sealed = seal.seal_personal(f.personal_data(), KEY, REF)
    raw = sealed.model_dump_json() + base64.b64decode(sealed.ciphertext).decode("latin-1")
    assert f.CANDIDATE_NAME not in raw and f.CANDIDATE_BSN not in raw
    assert "Zwanenburg" not in raw


def test_each_seal_uses_a_fresh_nonce() -> None:
    one, two = (seal.seal_personal(f.personal_data(), KEY, REF) for _ in range(2))
    assert one.nonce != two.nonce and one.ciphertext != two.ciphertext


def test_another_key_does_not_open_it() -> None:
    sealed = seal.seal_personal(f.personal_data(), KEY, REF)
    with pytest.raises(seal.SealError, match=f"candidate {REF} does not open") as caught:
        seal.open_personal(sealed, os.urandom(32), REF)
    assert KEY.hex() not in str(caught.value)


def test_a_blob_moved_to_another_candidate_does_not_open() -> None:
    # Even with the right key: the associated data names the candidate it was sealed for.
    sealed = seal.seal_personal(f.personal_data(), KEY, REF)
    moved = sealed.model_copy(update={"key_id": "cand-0002"})
    with pytest.raises(seal.SealError):
        seal.open_personal(moved, KEY, "cand-0002")


def test_a_summary_does_not_open_as_personal_data() -> None:
    sealed = seal.seal_text('{"name": "x", "bsn": "111222333"}', KEY, REF)
    with pytest.raises(seal.SealError):
        seal.open_personal(sealed, KEY, REF)


def test_an_altered_ciphertext_does_not_open() -> None:
    sealed = seal.seal_text("moved out last week", KEY, REF)
    raw = bytearray(base64.b64decode(sealed.ciphertext))
    raw[0] ^= 1
    altered = sealed.model_copy(update={"ciphertext": base64.b64encode(raw).decode()})
    with pytest.raises(seal.SealError):
        seal.open_text(altered, KEY, REF)


def test_a_key_of_the_wrong_length_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="32 bytes, not 16"):
        seal.seal_text("x", bytes(16), REF)


@pytest.mark.parametrize("render", [repr, str])
def test_the_error_and_the_value_show_no_personal_data(render: object) -> None:
    sealed = seal.seal_personal(f.personal_data(), KEY, REF)
    with pytest.raises(seal.SealError) as caught:
        seal.open_personal(sealed, bytes(32), REF)
    for text in (render(caught.value), render(sealed)):  # type: ignore[operator]
        assert f.CANDIDATE_NAME not in text and f.CANDIDATE_BSN not in text
        assert sealed.ciphertext not in text


def test_the_domain_takes_sealed_values_only() -> None:
    command = f.match()
    assert isinstance(command.personal, Sealed)
    assert seal.open_personal(command.personal, KEY, command.candidate_ref).bsn == (f.CANDIDATE_BSN)

"""The one AES-256-GCM envelope under the codec, the seals and the wrapped keys."""

from __future__ import annotations

import pytest

from privacy.envelope import KEY_BYTES, NONCE_BYTES, TAG_BYTES, Envelope, EnvelopeError
from privacy.envelope import generate_key as new_key


def test_a_blob_opens_with_its_key_and_associated_data_only() -> None:
    key = new_key()
    blob = Envelope(key).encrypt(b"plain", b"nbm:test:a")
    assert len(blob) == NONCE_BYTES + len(b"plain") + TAG_BYTES
    assert Envelope(key).decrypt(blob, b"nbm:test:a") == b"plain"
    with pytest.raises(EnvelopeError):
        Envelope(key).decrypt(blob, b"nbm:test:b")  # moved to another place
    with pytest.raises(EnvelopeError):
        Envelope(new_key()).decrypt(blob, b"nbm:test:a")  # another key
    with pytest.raises(EnvelopeError):
        Envelope(key).decrypt(blob[:-1] + bytes([blob[-1] ^ 1]), b"nbm:test:a")  # altered


def test_each_blob_has_a_fresh_nonce() -> None:
    envelope = Envelope(new_key())
    assert envelope.encrypt(b"x", b"") != envelope.encrypt(b"x", b"")


def test_a_short_blob_and_a_wrong_key_size_are_refused() -> None:
    with pytest.raises(EnvelopeError, match="too short"):
        Envelope(new_key()).decrypt(b"\0" * (NONCE_BYTES + TAG_BYTES - 1), b"")
    with pytest.raises(ValueError, match=f"{KEY_BYTES} bytes, not 16"):
        Envelope(b"\0" * 16)


def test_a_next_generation_comes_first_and_the_old_ones_can_be_dropped() -> None:
    from privacy.keyring import generate_keyring, next_generation, only_current

    first = generate_keyring("kek1")
    second = next_generation(first)
    assert second.current_id == "kek2" and list(second.keys) == ["kek2", "kek1"]
    assert second.keys["kek1"] == first.current and second.current != first.current
    assert only_current(second).keys == {"kek2": second.current}
    assert next_generation(generate_keyring("kek")).current_id == "kek-2"

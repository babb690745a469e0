"""The one AES-256-GCM envelope under every encryption here: payloads, sealed data, keys.

A blob is the 96-bit random nonce followed by the ciphertext and its 128-bit tag. The
associated data (`aad`) is authenticated, not encrypted: each user binds a blob to what it is
and whose it is (a codec key id, a candidate reference and purpose, a key-store row), so a
blob moved to another place fails to open instead of opening as something else.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
"""AES-256."""
NONCE_BYTES = 12
"""The nonce size AES-GCM is specified for; random per blob."""
TAG_BYTES = 16


def generate_key() -> bytes:
    """A fresh random AES-256 key."""
    return os.urandom(KEY_BYTES)


class EnvelopeError(Exception):
    """A blob that does not open: wrong key, altered, too short, or other associated data.

    Says nothing more, on purpose: each caller names what it was opening (a key id, a
    candidate reference), never key material or plaintext.
    """


class Envelope:
    """Encrypts and opens blobs under one key; build it once per key and reuse it."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            # A programming error (a key from somewhere else); the length is no secret.
            raise ValueError(f"an AES-256 key has {KEY_BYTES} bytes, not {len(key)}")
        self._cipher = AESGCM(key)

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        """`plaintext` sealed: nonce, then ciphertext and tag."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        """The plaintext of `blob`; `EnvelopeError` if it does not open under this key and `aad`."""
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise EnvelopeError("too short to be an encrypted blob")
        try:
            return self._cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise EnvelopeError("does not open with this key") from None

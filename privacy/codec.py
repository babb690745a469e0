"""The payload codec: every payload that reaches Temporal is encrypted with AES-256-GCM.

Temporal stores workflow inputs, results, update arguments, activity inputs and (through the
encoded-attributes failure converter) failure messages in its history. This codec encrypts
all of them with the current key of a `Keyring` (NBM_CODEC_KEYS) and records the key's id in
the payload's metadata, so a payload written under an older key still decrypts after a new
key has been put first (rotation).

Decoding lets a payload through unchanged when it was not encrypted by this codec (no
`binary/encrypted` encoding): histories recorded before the codec, and payloads made by tools
without it (the `temporal` CLI's terminate reason), must stay readable. An encrypted payload
whose key id is unknown, or whose ciphertext or key id was altered, is refused with a
`CodecError`; its message names the key id, never key material or plaintext.
"""

from __future__ import annotations

from collections.abc import Sequence

from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from .envelope import Envelope, EnvelopeError
from .keyring import Keyring

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
_AAD_PREFIX = b"nbm-codec-v1:"


class CodecError(ValueError):
    """A payload that cannot be decrypted; the message holds no key and no payload data."""


def _aad(key_id: str) -> bytes:
    # The key id is authenticated with the data: editing the id in the metadata, or moving
    # ciphertext between key ids, fails the tag check instead of decrypting to garbage.
    return _AAD_PREFIX + key_id.encode()


class EncryptionCodec(PayloadCodec):
    """AES-256-GCM over whole serialized payloads; the key id in metadata picks the key."""

    def __init__(self, keyring: Keyring) -> None:
        super().__init__()
        self._keyring = keyring
        # One envelope per key, built once: every activation encodes and decodes.
        self._envelopes = {key_id: Envelope(key) for key_id, key in keyring.keys.items()}

    @property
    def current_key_id(self) -> str:
        return self._keyring.current_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        """`payload` (metadata and data) encrypted with the current key."""
        key_id = self._keyring.current_id
        blob = self._envelopes[key_id].encrypt(payload.SerializeToString(), _aad(key_id))
        return Payload(metadata={"encoding": ENCODING, KEY_ID: key_id.encode()}, data=blob)

    def decrypt(self, payload: Payload) -> Payload:
        """The original of an encrypted payload; any other payload unchanged."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        raw_id = payload.metadata.get(KEY_ID)
        if raw_id is None:
            raise CodecError(f"encrypted payload without the {KEY_ID!r} metadata")
        key_id = raw_id.decode(errors="replace")
        envelope = self._envelopes.get(key_id)
        if envelope is None:
            raise CodecError(
                f"payload encrypted with key id {key_id!r}, which is not in the keyring "
                f"(configured: {', '.join(sorted(self._envelopes))})"
            )
        try:
            plain = envelope.decrypt(payload.data, _aad(key_id))
        except EnvelopeError as err:
            raise CodecError(
                f"payload under key id {key_id!r} does not decrypt ({err}): the key with that "
                "id is not the one it was encrypted with, or the payload was altered"
            ) from None
        return Payload.FromString(plain)

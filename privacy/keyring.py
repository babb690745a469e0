"""Symmetric keys with ids, for rotation: the first key encrypts, every key decrypts.

Written in configuration as `ID:BASE64KEY[,ID:BASE64KEY...]` (32-byte AES-256 keys), e.g.
NBM_KEK (wraps the per-candidate keys) and NBM_CODEC_KEYS (the Temporal payload codec).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from .envelope import KEY_BYTES, generate_key

_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


class KeyringError(ValueError):
    """A keyring text that cannot be used; the message names the variable, never a key."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    def get(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(f"no key with id {key_id!r} is configured") from None

    def dumps(self) -> str:
        ordered = [self.current_id, *(k for k in self.keys if k != self.current_id)]
        return ",".join(f"{k}:{base64.b64encode(self.keys[k]).decode()}" for k in ordered)


def parse_keyring(text: str, variable: str) -> Keyring:
    """The keyring in `text`; errors name `variable` and never echo key material."""
    keys: dict[str, bytes] = {}
    for number, entry in enumerate(filter(None, (e.strip() for e in text.split(","))), 1):
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyringError(f"{variable}: entry {number} is not ID:BASE64KEY")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise KeyringError(f"{variable}: key {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise KeyringError(f"{variable}: key {key_id!r} must be {KEY_BYTES} bytes")
        if key_id in keys:
            raise KeyringError(f"{variable}: key id {key_id!r} appears twice")
        keys[key_id] = key
    if not keys:
        raise KeyringError(f"{variable}: no key given")
    return Keyring(current_id=next(iter(keys)), keys=keys)


def generate_keyring(key_id: str) -> Keyring:
    return Keyring(current_id=key_id, keys={key_id: generate_key()})


def next_generation(keyring: Keyring) -> Keyring:
    """A new current key with a new id, the old keys still listed after it (for rewrapping).

    Ids count up from the current one's trailing number (`kek1` -> `kek2`), else gain `-2`.
    """
    stem = keyring.current_id.rstrip("0123456789")
    number = keyring.current_id[len(stem) :]
    new_id = f"{stem}{int(number) + 1}" if number else f"{stem}-2"
    while new_id in keyring.keys:
        new_id += "x"
    return Keyring(current_id=new_id, keys={new_id: generate_key(), **keyring.keys})


def only_current(keyring: Keyring) -> Keyring:
    """The keyring without the keys that are no longer current (they are destroyed)."""
    return Keyring(current_id=keyring.current_id, keys={keyring.current_id: keyring.current})

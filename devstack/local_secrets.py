"""Secrets of the embedded stack: generated once into the data folder, mode 0600.

Only for `make run` and tests on one machine. Production sets NBM_KEK, NBM_CODEC_KEYS and
NBM_AUDIT_SIGNING_KEY from a secret store; nothing then reads the file.
"""

from __future__ import annotations

import secrets as random_secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from nbm.local_files import LocalSecrets, read_secrets, write_secrets
from privacy.keyring import generate_keyring


def ensure_local_secrets(data_dir: Path) -> LocalSecrets:
    """The stack's secrets, generated on first use and kept for every later run."""
    existing = read_secrets(data_dir)
    if existing is not None:
        if existing.link_secret is None:  # a data folder from before the answer links
            existing = existing.model_copy(update={"link_secret": random_secrets.token_hex(32)})
            write_secrets(data_dir, existing)
        return existing
    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    secrets = LocalSecrets(
        kek=generate_keyring("kek1").dumps(),
        codec_keys=generate_keyring("codec1").dumps(),
        audit_signing_key=signing.decode(),
        link_secret=random_secrets.token_hex(32),
    )
    write_secrets(data_dir, secrets)
    return secrets

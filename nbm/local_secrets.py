"""Secrets of the embedded stack: generated once into the data folder, mode 0600.

Only for `make run` and tests on one machine. Production sets NBM_KEK, NBM_CODEC_KEYS and
NBM_AUDIT_SIGNING_KEY from a secret store; nothing then reads this file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from privacy.keyring import generate_keyring

SECRETS_FILE = "secrets.json"


def secrets_path(data_dir: Path) -> Path:
    return data_dir / SECRETS_FILE


def read_local_secrets(data_dir: Path) -> dict[str, str]:
    """The stack's secrets, or {} when there are none yet."""
    path = secrets_path(data_dir)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()))


def ensure_local_secrets(data_dir: Path) -> dict[str, str]:
    """The stack's secrets, generated on first use and kept for every later run."""
    existing = read_local_secrets(data_dir)
    if existing:
        return existing
    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    secrets = {
        "kek": generate_keyring("kek1").dumps(),
        "codec_keys": generate_keyring("codec1").dumps(),
        "audit_signing_key": signing.decode(),
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    path = secrets_path(data_dir)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(secrets, out)
    tmp.replace(path)
    return secrets

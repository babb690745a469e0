"""Encryption for personal data, below the workflows and the activities.

- `privacy.envelope`: the one AES-256-GCM envelope everything else uses;
- `privacy.keyring`: keys with ids, for rotation (NBM_KEK, NBM_CODEC_KEYS);
- `privacy.seal`: a candidate's personal data and free text sealed on the client with the
  candidate's own key (`domain.shared.Sealed`);
- `privacy.codec`: the Temporal payload codec that encrypts every payload.

No I/O: the keys come in as arguments (the key store in `activities` keeps them).
"""

"""The payload codec: round trip, rotation, and refusals that give nothing away."""

from __future__ import annotations

import base64

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ApplicationError

from nbm.temporal import data_converter
from privacy.codec import ENCODING, KEY_ID, CodecError, EncryptionCodec
from privacy.keyring import Keyring, generate_keyring, parse_keyring
from tests import factories as f

SECRET = f"{f.CANDIDATE_NAME} {f.CANDIDATE_BSN}".encode()


def json_payload(data: bytes = SECRET) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=b'"' + data + b'"')


def rotated(old: Keyring, new_id: str = "codec2") -> Keyring:
    """`old` with a new key put first, as an operator rotates NBM_CODEC_KEYS."""
    return parse_keyring(f"{generate_keyring(new_id).dumps()},{old.dumps()}", "NBM_CODEC_KEYS")


def key_texts(keyring: Keyring) -> list[bytes]:
    """Every way a key could show up in a message: raw, base64, hex."""
    keys = keyring.keys.values()
    return [
        *keys,
        *(base64.b64encode(k) for k in keys),
        *(k.hex().encode() for k in keys),
    ]


async def test_round_trip_restores_metadata_and_data() -> None:
    codec = EncryptionCodec(generate_keyring("codec1"))
    original = [json_payload(), Payload(metadata={"encoding": b"binary/null"})]
    encoded = await codec.encode(original)
    assert await codec.decode(encoded) == original


async def test_encoded_payload_carries_encoding_and_key_id_and_no_plaintext() -> None:
    codec = EncryptionCodec(generate_keyring("codec1"))
    [encoded] = await codec.encode([json_payload()])
    assert dict(encoded.metadata) == {"encoding": ENCODING, KEY_ID: b"codec1"}
    assert SECRET not in encoded.data
    assert b"json/plain" not in encoded.data  # the original metadata is encrypted too


async def test_same_payload_twice_gives_different_ciphertexts() -> None:
    # A fresh nonce per payload: equal plaintexts (two candidates' equal fields) do not show.
    codec = EncryptionCodec(generate_keyring("codec1"))
    first, second = await codec.encode([json_payload(), json_payload()])
    assert first.data != second.data


async def test_after_rotation_old_payloads_decode_and_new_ones_use_the_new_key() -> None:
    old = generate_keyring("codec1")
    [written_before] = await EncryptionCodec(old).encode([json_payload()])

    codec = EncryptionCodec(rotated(old, "codec2"))
    assert await codec.decode([written_before]) == [json_payload()]
    [written_after] = await codec.encode([json_payload()])
    assert written_after.metadata[KEY_ID] == b"codec2"
    assert await codec.decode([written_after]) == [json_payload()]


async def test_a_payload_under_an_unknown_key_id_is_refused() -> None:
    [encoded] = await EncryptionCodec(generate_keyring("retired")).encode([json_payload()])
    keyring = generate_keyring("codec1")
    with pytest.raises(CodecError, match="key id 'retired', which is not in the keyring") as err:
        await EncryptionCodec(keyring).decode([encoded])
    assert "codec1" in str(err.value)  # the operator sees which ids are configured


async def test_a_wrong_key_under_the_same_id_is_refused() -> None:
    writer, reader = generate_keyring("codec1"), generate_keyring("codec1")
    [encoded] = await EncryptionCodec(writer).encode([json_payload()])
    with pytest.raises(CodecError, match="does not decrypt") as err:
        await EncryptionCodec(reader).decode([encoded])
    assert err.value.__cause__ is None  # no chained exception carrying internals


@pytest.mark.parametrize("position", [0, 12, -1], ids=["nonce", "ciphertext", "tag"])
async def test_tampered_ciphertext_is_refused(position: int) -> None:
    codec = EncryptionCodec(generate_keyring("codec1"))
    [encoded] = await codec.encode([json_payload()])
    data = bytearray(encoded.data)
    data[position] ^= 0x01
    tampered = Payload(metadata=encoded.metadata, data=bytes(data))
    with pytest.raises(CodecError, match="does not decrypt"):
        await codec.decode([tampered])


async def test_moving_a_payload_to_another_key_id_is_refused() -> None:
    # Both keys are in the ring, so only the authenticated key id can tell the move.
    keyring = rotated(generate_keyring("codec1"), "codec2")
    codec = EncryptionCodec(keyring)
    [encoded] = await codec.encode([json_payload()])
    moved = Payload(metadata={**encoded.metadata, KEY_ID: b"codec1"}, data=encoded.data)
    with pytest.raises(CodecError, match="does not decrypt"):
        await codec.decode([moved])


@pytest.mark.parametrize(
    ("metadata", "data", "message"),
    [
        ({"encoding": ENCODING}, b"x" * 40, "without the 'encryption-key-id' metadata"),
        ({"encoding": ENCODING, KEY_ID: b"codec1"}, b"short", "too short"),
    ],
    ids=["no-key-id", "truncated"],
)
async def test_malformed_encrypted_payloads_are_refused(
    metadata: dict[str, bytes], data: bytes, message: str
) -> None:
    with pytest.raises(CodecError, match=message):
        await EncryptionCodec(generate_keyring("codec1")).decode(
            [Payload(metadata=metadata, data=data)]
        )


async def test_payloads_it_did_not_encrypt_pass_through_on_decode() -> None:
    # Histories recorded before the codec, and payloads from tools without it, stay readable.
    plain = [json_payload(), Payload(metadata={"encoding": b"binary/null"})]
    assert await EncryptionCodec(generate_keyring("codec1")).decode(plain) == plain


async def test_no_key_material_in_any_refusal() -> None:
    writer = generate_keyring("codec1")
    reader = rotated(generate_keyring("codec1"), "codec0")
    [encoded] = await EncryptionCodec(writer).encode([json_payload()])
    unknown = Payload(metadata={**encoded.metadata, KEY_ID: b"gone"}, data=encoded.data)
    for payload in (encoded, unknown):
        with pytest.raises(CodecError) as err:
            await EncryptionCodec(reader).decode([payload])
        text = str(err.value).encode()
        for secret in [*key_texts(writer), *key_texts(reader), SECRET]:
            assert secret not in text


async def test_the_data_converter_encrypts_values_and_failure_messages() -> None:
    keyring = generate_keyring("codec1")
    converter = data_converter(keyring)
    [payload] = await converter.encode([f.CANDIDATE_NAME])
    assert payload.metadata["encoding"] == ENCODING
    assert await converter.decode([payload]) == [f.CANDIDATE_NAME]

    failure = Failure()
    await converter.encode_failure(ApplicationError(f"refused for {f.CANDIDATE_BSN}"), failure)
    assert f.CANDIDATE_BSN not in failure.message  # moved into the encoded attributes ...
    assert failure.encoded_attributes.metadata["encoding"] == ENCODING  # ... and encrypted
    assert f.CANDIDATE_BSN.encode() not in failure.SerializeToString()
    decoded = await converter.decode_failure(failure)
    assert str(decoded) == f"refused for {f.CANDIDATE_BSN}"


async def test_a_converter_with_another_keyring_cannot_read_the_values() -> None:
    [payload] = await data_converter(generate_keyring("codec1")).encode(["x"])
    with pytest.raises(CodecError):
        await data_converter(generate_keyring("codec1")).decode([payload])

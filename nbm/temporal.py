"""How every process connects to Temporal: one data converter, one codec, one failure converter.

Every payload is encrypted by the codec (`privacy.codec`) with the keys in NBM_CODEC_KEYS, and
failure messages travel inside an encoded (so encrypted) payload instead of the plain
`message` field. Workflow ids and search attributes are never encrypted: no personal data
there.
"""

from __future__ import annotations

import dataclasses

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.service import RPCError, RPCStatusCode

from privacy.codec import EncryptionCodec
from privacy.keyring import Keyring
from workflows.search import SEARCH_ATTRIBUTES

from .settings import Settings

PLAIN_DATA_CONVERTER: DataConverter = dataclasses.replace(
    pydantic_data_converter,
    # Failure messages can hold what a coach typed; moving them into an encoded payload puts
    # them under the codec's encryption like any other payload.
    failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
)
"""Without the codec: never for connecting to a server, only to look at what it stores
(tests that prove the history is encrypted) and as the base of `data_converter`."""


def data_converter(keys: Settings | Keyring) -> DataConverter:
    """The converter every client and worker uses: pydantic, the codec over `keys`, failures
    as encoded attributes. `keys` is a keyring, or settings whose NBM_CODEC_KEYS give one."""
    keyring = keys.resolved_codec_keys() if isinstance(keys, Settings) else keys
    return dataclasses.replace(PLAIN_DATA_CONVERTER, payload_codec=EncryptionCodec(keyring))


async def register_search_attributes(client: Client) -> list[str]:
    """Register the trajectory's search attributes (Keyword) where they are missing.

    What an operator does once per namespace (`temporal operator search-attribute create`);
    the embedded stack and the tests call this. Returns the names registered now.
    """
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
        known = set(listed.custom_attributes)
    except RPCError as err:
        if err.status != RPCStatusCode.UNIMPLEMENTED:  # the time-skipping test server
            raise
        known = set()
    missing = {
        key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        for key in SEARCH_ATTRIBUTES
        if key.name not in known
    }
    if missing:
        try:
            await client.operator_service.add_search_attributes(
                AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing)
            )
        except RPCError as err:
            if err.status != RPCStatusCode.ALREADY_EXISTS:  # registered meanwhile
                raise
    return sorted(missing)


async def connect(settings: Settings) -> Client:
    """A client for the configured (or embedded) Temporal server."""
    return await Client.connect(
        settings.resolved_temporal_address(),
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
    )

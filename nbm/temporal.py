"""How every process connects to Temporal: one data converter, one failure converter."""

from __future__ import annotations

import dataclasses

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from .settings import Settings

DATA_CONVERTER: DataConverter = dataclasses.replace(
    pydantic_data_converter,
    # Failure messages can hold what a coach typed; keep them out of plain history fields
    # so the payload codec (event store issue) covers them too.
    failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
)


async def connect(settings: Settings) -> Client:
    """A client for the configured (or embedded) Temporal server."""
    return await Client.connect(
        settings.resolved_temporal_address(),
        namespace=settings.temporal_namespace,
        data_converter=DATA_CONVERTER,
    )

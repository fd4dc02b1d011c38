"""Request bodies of the API as pydantic models, derived from the shared types in :mod:`kiosk.wire`.

Every bound (lengths, ranges, list sizes) is read from the wire type's field metadata, so the kiosk
and the server cannot disagree; numbers must be finite, times aware and plausible. The models appear
in the published OpenAPI schema, and a validated body becomes the frozen wire value the rooms take.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    create_model,
)

from kiosk.wire import MAX_BATCH, Heartbeat, PlayEvent, ReportBatch, parse_time

MAX_BLOBS = 100_000  # blobs named in one "missing" question
MAX_BLOB_SIZE = 1 << 40
MAX_NOTE = 256
MAX_MANIFEST_B64 = 44 * 1024 * 1024
MAX_SIGNATURE_B64 = 512

STRICT = ConfigDict(allow_inf_nan=False, extra="ignore", str_max_length=MAX_MANIFEST_B64)
"""Finite numbers only; unknown keys ignored (a newer kiosk may send more)."""


def _aware(value: datetime) -> datetime:
    return parse_time(value, "time")


WireTime = Annotated[datetime, AfterValidator(_aware)]


def _decode_base64(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not valid base64") from None


def _base64(max_length: int) -> Any:
    return Annotated[
        bytes,
        BeforeValidator(_decode_base64),
        PlainSerializer(lambda raw: base64.b64encode(raw).decode("ascii")),
        WithJsonSchema({"type": "string", "contentEncoding": "base64", "maxLength": max_length}),
    ]


def wire_model(cls: type[Any]) -> type[BaseModel]:
    """A pydantic model with the fields of the wire dataclass ``cls``, bounded by its field metadata."""
    hints = get_type_hints(cls)
    definitions: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        kind = hints[item.name]
        if kind is datetime:
            kind = WireTime
        elif kind == datetime | None:
            kind = WireTime | None
        default = item.default if item.default is not dataclasses.MISSING else ...
        strict = kind is not WireTime and kind != WireTime | None
        definitions[item.name] = (Annotated[kind, Field(strict=strict, **item.metadata)], default)
    model: type[BaseModel] = create_model(f"{cls.__name__}Body", __config__=STRICT, **definitions)
    return model


if TYPE_CHECKING:
    HeartbeatBody = BaseModel
    PlayEventBody = BaseModel
else:
    HeartbeatBody = wire_model(Heartbeat)
    PlayEventBody = wire_model(PlayEvent)


class ReportsBody(BaseModel):
    """``POST /api/kiosk/reports``: queued heartbeats and events, oldest first."""

    model_config = STRICT
    heartbeats: list[HeartbeatBody] = Field(default_factory=list, max_length=MAX_BATCH)
    events: list[PlayEventBody] = Field(default_factory=list, max_length=MAX_BATCH)
    sent_at: WireTime | None = None

    def to_wire(self) -> ReportBatch:
        return ReportBatch(
            heartbeats=tuple(Heartbeat(**beat.model_dump()) for beat in self.heartbeats),
            events=tuple(PlayEvent(**event.model_dump()) for event in self.events),
            sent_at=self.sent_at,
        )


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
BlobSize = Annotated[int, Field(strict=True, ge=0, le=MAX_BLOB_SIZE)]


class MissingBody(BaseModel):
    """``POST .../missing``: which of these blobs (sha256 → size) does the channel lack?"""

    model_config = STRICT
    blobs: dict[Sha256, BlobSize] = Field(max_length=MAX_BLOBS)


class ReleaseBody(BaseModel):
    """``POST .../releases``: a manifest and its Ed25519 signature, both base64."""

    model_config = STRICT
    manifest: _base64(MAX_MANIFEST_B64)  # type: ignore[valid-type]
    signature: _base64(MAX_SIGNATURE_B64)  # type: ignore[valid-type]
    note: str = Field(default="", max_length=MAX_NOTE)


class SignatureBody(BaseModel):
    """``POST .../drafts/{id}/signature``: the admin key's signature over the draft's exact bytes, and
    their sha256 (newer kioskctl), so a signature over bytes since rebuilt is told from a forged one."""

    model_config = STRICT
    signature: _base64(MAX_SIGNATURE_B64)  # type: ignore[valid-type]
    sha256: Sha256 | None = None


class RollbackBody(BaseModel):
    """``POST .../rollback``: the release whose content comes back (as a draft)."""

    model_config = STRICT
    release: int = Field(strict=True, ge=1, le=2**31 - 1)

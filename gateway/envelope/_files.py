"""Envelopes in files: small ones verified in memory, large ones streamed."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from gateway.envelope._jsonstream import verify_json_stream
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.envelope._verify import detect_format, verify_envelope
from gateway.envelope._xmlstream import verify_xml_stream

#: Envelopes above this size are verified while streaming, in constant memory.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024


def verify_file(path: Path, keys: KeySource, sink: IO[bytes] | None = None) -> VerifiedEnvelope:
    """Verify the envelope in ``path``; its document also goes to ``sink`` when given.

    ``sink`` receives bytes before the verdict for streamed envelopes: discard them
    unless this function returns.
    """
    with path.open("rb") as source:
        envelope_format = detect_format(source.read(1024))
        source.seek(0)
        if path.stat().st_size > STREAM_ABOVE_BYTES:
            if envelope_format is EnvelopeFormat.XML:
                return verify_xml_stream(source, keys, sink)
            return verify_json_stream(source, keys, sink)
        result = verify_envelope(source.read(), keys)
    if sink is not None and result.document is not None:
        sink.write(result.document)
    return result

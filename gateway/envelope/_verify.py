"""One entry point for envelopes of either format."""

from __future__ import annotations

from gateway.envelope._json import verify_json
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.envelope._xml import verify_xml
from gateway.errors import EnvelopeMalformed
from schema.sniff import wide_encoding

_BOM = b"\xef\xbb\xbf"


def detect_format(head: bytes) -> EnvelopeFormat:
    """XML or JSON, from the first bytes of an envelope or document."""
    wide = wide_encoding(head)
    if wide is not None:  # before its first byte is looked at: "{\0" is UTF-16 JSON
        raise EnvelopeMalformed(f"the envelope is {wide[0]}: send it as UTF-8")
    text = head.removeprefix(_BOM).lstrip()
    if text.startswith(b"<"):
        return EnvelopeFormat.XML
    if text.startswith(b"{"):
        return EnvelopeFormat.JSON
    start = text[:16].decode("utf-8", "replace")
    raise EnvelopeMalformed(f"neither an XML nor a JSON envelope: an XML one starts with "
                            f"'<', a JSON one with '{{'; this one with {start!r}")


def verify_envelope(data: bytes, keys: KeySource) -> VerifiedEnvelope:
    """Verify an envelope held in memory, whichever its format."""
    if detect_format(data[:1024]) is EnvelopeFormat.XML:
        return verify_xml(data, keys)
    return verify_json(data, keys)

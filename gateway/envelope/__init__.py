"""Signed envelopes (DESIGN §4): XML with an enveloped XML-DSig signature, JSON as a JWS.

Sign with :func:`sign_xml` / :func:`sign_json` (in memory), :func:`sign_xml_stream` /
:func:`sign_json_stream` (any size) or :func:`sign_file`; verify with
:func:`verify_envelope` (either format, in memory), :func:`verify_xml_stream` /
:func:`verify_json_stream` (any size) or :func:`verify_file` (picks for you).
Verification returns a frozen :class:`VerifiedEnvelope`; use only what it holds.
"""

from gateway.envelope._files import STREAM_ABOVE_BYTES, verify_file
from gateway.envelope._header import EnvelopeHeader, check_node_id, is_message_id
from gateway.envelope._json import ENVELOPE_TYP, sign_json, verify_json
from gateway.envelope._jsonstream import sign_json_stream, verify_json_stream
from gateway.envelope._keysource import KeySource, PinnedKey
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.envelope._signfile import sign_file
from gateway.envelope._verify import detect_format, verify_envelope
from gateway.envelope._xml import sign_xml, verify_xml
from gateway.envelope._xmlstream import sign_xml_stream, verify_xml_stream

__all__ = [
    "ENVELOPE_TYP",
    "EnvelopeFormat",
    "EnvelopeHeader",
    "KeySource",
    "PinnedKey",
    "STREAM_ABOVE_BYTES",
    "VerifiedEnvelope",
    "check_node_id",
    "detect_format",
    "is_message_id",
    "sign_file",
    "sign_json",
    "sign_json_stream",
    "sign_xml",
    "sign_xml_stream",
    "verify_envelope",
    "verify_file",
    "verify_json",
    "verify_json_stream",
    "verify_xml",
    "verify_xml_stream",
]

"""The gateway's errors, grafted onto the project's error tree (``schema.errors``).

    YipanqiError
    └── GatewayError
        ├── EnvelopeError (ValueError)
        │   ├── EnvelopeMalformed     "malformed"           unreadable, hostile, not our profile
        │   ├── AlgorithmRefused      "algorithm-refused"   none, HMAC, SHA-1, MD5, unknown
        │   ├── SignatureWrapping     "signature-wrapping"  not one signature over the whole
        │   ├── SignatureInvalid      "signature-invalid"   digest or signature value wrong
        │   ├── SignatureMissing      "signature-missing"   the envelope is not signed at all
        │   └── DocumentMismatch      "document-mismatch"   header type/version vs the body
        ├── TrustError (PermissionError)
        │   ├── KeyUnknown            "key-unknown"         no such key id in the directory
        │   ├── KeyRevoked            "key-revoked"         revoked: never accepted
        │   ├── KeyExpired            "key-expired"         outside its window at createdAt
        │   ├── KeyNotSender          "key-not-sender"      the key belongs to another node
        │   ├── NotPermitted          "not-permitted"       sender may not send this type there
        │   └── VersionNotAccepted    "version-not-accepted" recipient refuses that version
        ├── DirectoryInvalid (ValueError)  "directory-invalid" the directory itself is unusable
        ├── KeyFileError (ValueError)      "key-file"          a key file cannot be used
        ├── MessageConflict (ValueError)   "message-id-conflict" same (sender, messageId),
        │                                                      another digest → 409
        ├── StoreUnavailable (RuntimeError) "store-unavailable" the store failed → 503
        └── RequestRefused (ValueError)                         HTTP-level refusals
            ├── BodyTooLarge               "too-large"           → 413
            ├── BodyTimeout                "body-timeout"        → 408
            ├── UnsupportedMediaType       "unsupported-media-type" → 415
            ├── Unauthorised               "unauthorised"        → 401
            ├── NotFound                   "not-found"           → 404
            └── NotRetryable               "not-retryable"       → 409 a conflict, not a notice

A verifier reports the ``code`` as its reason: it is stable, goes on the wire in receipts
and is what ``yipanqi verify`` prints.
"""

from __future__ import annotations

from schema.errors import YipanqiError


class GatewayError(YipanqiError):
    """Root of the exchange's errors."""

    code = "gateway"


class EnvelopeError(GatewayError, ValueError):
    """An envelope is refused."""

    code = "envelope"


class EnvelopeMalformed(EnvelopeError):
    """Not well-formed, forbidden constructs (DTD, entities, comments), or not our profile."""

    code = "malformed"


class AlgorithmRefused(EnvelopeError):
    """An algorithm outside the accepted set (none, HMAC, SHA-1, MD5, or unknown)."""

    code = "algorithm-refused"


class SignatureWrapping(EnvelopeError):
    """The signature is not the one enveloped signature over the whole envelope."""

    code = "signature-wrapping"


class SignatureInvalid(EnvelopeError):
    """The digest or the signature value does not match the content."""

    code = "signature-invalid"


class SignatureMissing(EnvelopeError):
    """The envelope carries no signature at all (an XML envelope without ``ds:Signature``,
    a JWS without its ``signature`` member)."""

    code = "signature-missing"


class DocumentMismatch(EnvelopeError):
    """The signed header announces another document than the body holds."""

    code = "document-mismatch"


class TrustError(GatewayError, PermissionError):
    """A validly signed envelope that the trust directory does not allow."""

    code = "trust"


class KeyUnknown(TrustError):
    code = "key-unknown"


class KeyRevoked(TrustError):
    code = "key-revoked"


class KeyExpired(TrustError):
    code = "key-expired"


class KeyNotSender(TrustError):
    code = "key-not-sender"


class NotPermitted(TrustError):
    code = "not-permitted"


class VersionNotAccepted(TrustError):
    code = "version-not-accepted"


class DirectoryInvalid(GatewayError, ValueError):
    """The trust directory is malformed or its signature does not hold."""

    code = "directory-invalid"


class KeyFileError(GatewayError, ValueError):
    """A key file that cannot be read, or a key of a kind we do not use."""

    code = "key-file"


class MessageConflict(GatewayError, ValueError):
    code = "message-id-conflict"


class StoreUnavailable(GatewayError, RuntimeError):
    code = "store-unavailable"


class InternalFailure(GatewayError, RuntimeError):
    """The node failed at something it should have done: logged, for its operators."""

    code = "internal-error"


class RequestRefused(GatewayError, ValueError):
    code = "refused"


class BodyTooLarge(RequestRefused):
    code = "too-large"


class BodyTimeout(RequestRefused):
    code = "body-timeout"


class UnsupportedMediaType(RequestRefused):
    code = "unsupported-media-type"


class Unauthorised(RequestRefused):
    code = "unauthorised"


class NotFound(RequestRefused):
    code = "not-found"


class NotRetryable(RequestRefused):
    """A pending item that cannot be docked again: a version conflict is a report."""

    code = "not-retryable"


__all__ = [
    "AlgorithmRefused",
    "BodyTimeout",
    "BodyTooLarge",
    "DirectoryInvalid",
    "DocumentMismatch",
    "EnvelopeError",
    "EnvelopeMalformed",
    "GatewayError",
    "InternalFailure",
    "KeyExpired",
    "KeyFileError",
    "KeyNotSender",
    "KeyRevoked",
    "KeyUnknown",
    "MessageConflict",
    "NotFound",
    "NotPermitted",
    "NotRetryable",
    "RequestRefused",
    "SignatureInvalid",
    "SignatureMissing",
    "SignatureWrapping",
    "StoreUnavailable",
    "TrustError",
    "Unauthorised",
    "UnsupportedMediaType",
    "VersionNotAccepted",
]

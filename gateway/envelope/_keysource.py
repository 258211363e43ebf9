"""Where a verifier gets its keys: the trust directory, or one pinned public key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gateway.crypto import PublicKey, SignatureAlgorithm, algorithm_for_key
from gateway.envelope._header import EnvelopeHeader
from gateway.errors import AlgorithmRefused


class KeySource(Protocol):
    """Answers two questions: which key is ``kid``, and may it speak for this header."""

    def public_key(self, kid: str, algorithm: SignatureAlgorithm) -> PublicKey:
        """The key to check a signature with.

        Raises :class:`~gateway.errors.KeyUnknown`, :class:`~gateway.errors.KeyRevoked`, or
        :class:`~gateway.errors.AlgorithmRefused` when the envelope names another algorithm
        than the key is registered for.
        """
        ...

    def authorise(self, header: EnvelopeHeader, kid: str) -> None:
        """Check the verified header against the key (owner, validity, permissions)."""
        ...


@dataclass(frozen=True, slots=True)
class PinnedKey:
    """One public key trusted for every kid: signature checks only, no directory rules."""

    key: PublicKey

    def public_key(self, kid: str, algorithm: SignatureAlgorithm) -> PublicKey:
        if algorithm_for_key(self.key) is not algorithm:
            raise AlgorithmRefused(
                f"the envelope names {algorithm.value}; the key is "
                f"{algorithm_for_key(self.key).value}"
            )
        return self.key

    def authorise(self, header: EnvelopeHeader, kid: str) -> None:
        return None

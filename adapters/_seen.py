"""A compact set of 64-bit digests, to notice repeated rows in files of millions of rows.

A Python ``set`` of ints costs some 60 bytes an entry; this open-addressing table in an
``array`` costs 16 at most (8 bytes a slot, at most half full).
"""

from __future__ import annotations

from array import array

_INITIAL_SLOTS = 1 << 12


class DigestSet:
    """Non-zero 64-bit digests seen so far."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * _INITIAL_SLOTS))
        self._mask = _INITIAL_SLOTS - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, digest: int) -> bool:
        """Add ``digest`` (non-zero); False when it was already there."""
        slots, mask = self._slots, self._mask
        index = digest & mask
        while True:
            value = slots[index]
            if value == 0:
                slots[index] = digest
                self._count += 1
                if self._count * 2 > mask:
                    self._grow()
                return True
            if value == digest:
                return False
            index = (index + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", bytes(16 * len(old)))
        self._mask = 2 * len(old) - 1
        self._count = 0
        for value in old:
            if value:
                self.add(value)

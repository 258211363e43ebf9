"""Sources: a whole file, or a slice of it framed by a prefix and a suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema.validation._source import Source


@pytest.fixture
def path(tmp_path: Path) -> str:
    target = tmp_path / "data.txt"
    target.write_bytes(b"0123456789abcdefghij")
    return str(target)


def read_all(source: Source, size: int) -> bytes:
    out = b""
    with source.open() as reader:
        while chunk := reader.read(size):
            out += chunk
    return out


@pytest.mark.parametrize("size", [1, 3, 7, -1])
def test_whole_file(path: str, size: int) -> None:
    source = Source(path)
    assert source.is_whole_file and source.first
    assert read_all(source, size) == b"0123456789abcdefghij"


@pytest.mark.parametrize("size", [1, 4, 100])
def test_framed_slice(path: str, size: int) -> None:
    source = Source(path, 5, 12, b"<head>", b"</tail>")
    assert not source.is_whole_file
    assert read_all(source, size) == b"<head>56789ab</tail>"


def test_slice_to_the_end(path: str) -> None:
    assert read_all(Source(path, 15, None, b"[", b""), 2) == b"[fghij"


def test_position_counts_every_byte(path: str) -> None:
    with Source(path, 5, 12, b"<h>", b"</t>").open() as reader:
        while reader.read(2):
            pass
        assert reader.position == 3 + 7 + 4

"""output_file: whole or nothing, devices and pipes written in place, errors naming the file."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from gateway.cli._output import output_file


def test_a_failure_leaves_the_file_as_it_was_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "notices.jsonl"
    target.write_bytes(b"earlier\n")
    with pytest.raises(KeyboardInterrupt), output_file(target) as out:
        out.write(b"half of it")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices.jsonl"]


def test_success_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"earlier")
    with output_file(target, mode=0o600) as out:
        out.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    with output_file(pipe) as out:
        out.write(b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_full_device_names_itself() -> None:
    with pytest.raises(OSError) as caught, output_file(Path("/dev/full")) as out:
        out.write(b"x" * 100_000)
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, "/dev/full")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_directory_or_a_missing_one_is_named(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as caught, output_file(tmp_path):
        pass
    assert caught.value.filename == str(tmp_path)
    missing = tmp_path / "nodir" / "x.json"
    with pytest.raises(FileNotFoundError) as lost, output_file(missing):
        pass
    assert lost.value.filename == str(missing)


def test_the_longest_name_a_file_may_have_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("a" * 251 + ".xml")
    with output_file(target) as out:
        out.write(b"<a/>")
    assert target.read_bytes() == b"<a/>"

"""output_file: whole or nothing, devices and pipes written in place, errors naming the file."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
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


def test_success_replaces_the_file_whole_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"earlier")
    target.chmod(0o600)
    with output_file(target) as out:
        out.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    fresh = tmp_path / "new.xml"
    umask = os.umask(0o027)
    try:
        with output_file(fresh) as out:
            out.write(b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_symbolic_link_is_followed_and_stays(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "notices.jsonl"
    target.write_bytes(b"old")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with output_file(link) as out:
        out.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_dev_stdout_is_the_shells_redirection(tmp_path: Path) -> None:
    """``-o /dev/stdout > f``: /dev/stdout leads to the file f, which is written in place."""
    redirected = tmp_path / "f"
    code = ("from pathlib import Path; from gateway.cli._output import output_file\n"
            "with output_file(Path('/dev/stdout')) as out: out.write(b'through')")
    with redirected.open("wb") as stdout:
        subprocess.run([sys.executable, "-c", code], stdout=stdout, check=True, timeout=60)
    assert redirected.read_bytes() == b"through"


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

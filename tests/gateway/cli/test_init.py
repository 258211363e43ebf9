"""The command loads only what it runs, yet every command is reachable."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import IO

import pytest

from gateway.cli import COMMANDS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from gateway.cli import main; main(); "
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_help_lists_every_command():
    done = _run("--help")
    assert done.returncode == 0
    for command in COMMANDS:
        assert command in done.stdout, command


def test_validate_does_not_load_the_gateway_service():
    probe = ("import sys; from gateway.cli import register; register('validate'); "
             "print('gateway.app' in sys.modules, 'fastapi' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_every_command_module_registers_its_command():
    done = _run("serve", "--help")
    assert done.returncode == 0 and "serve" in done.stdout
    assert _run("no-such-command").returncode == 2


VALID = "fixtures/documents/valid/v2/change-report.xml"


def _run_into(stdout: IO[bytes], *args: str) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from gateway.cli import main; main(); "
    return subprocess.run([sys.executable, "-c", code, *args], stdout=stdout,
                          stderr=subprocess.PIPE, timeout=120, check=False)


@pytest.mark.parametrize("args", [("validate", VALID), ("convert", VALID, "--to", "json"),
                                  ("adapters",)])
def test_a_full_standard_output_is_one_line_and_exit_1(args):
    with open("/dev/full", "wb") as full:
        done = _run_into(full, *args)
    assert done.returncode == 1
    message = done.stderr.decode()
    assert message.count("\n") == 1
    assert "No space left on device" in message and "Traceback" not in message


def test_a_reader_that_goes_away_ends_the_command_quietly():
    """A pipe closed before the output is written (as ``| head -c 1`` does)."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "wb") as closed:
        done = _run_into(closed, "convert", VALID, "--to", "json")
    assert (done.returncode, done.stderr) == (1, b"")


def test_a_file_name_too_long_is_one_line():
    done = _run("validate", "a" * 300 + ".xml")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("yipanqi: aaaa") and "File name too long" in done.stderr

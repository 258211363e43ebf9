"""The command loads only what it runs, yet every command is reachable."""

from __future__ import annotations

import subprocess
import sys

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

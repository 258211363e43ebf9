"""``yipanqi adapters`` lists the installed department adapters."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

import gateway.cli.adapters  # noqa: F401  (registers the command)
from gateway.cli import app

NAMES = ["fg", "ga", "gs", "jy", "mz", "rs", "ws"]


def test_text_lists_every_adapter_with_its_department() -> None:
    result = CliRunner().invoke(app, ["adapters"])
    assert result.exit_code == 0, result.output
    for name in NAMES:
        assert f"\n{name} " in f"\n{result.stdout}"
    assert "GA 公安" in result.stdout and "暂住登记" in result.stdout


def test_json_lists_names_departments_and_titles() -> None:
    result = CliRunner().invoke(app, ["adapters", "--format", "json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [a["name"] for a in listed] == NAMES
    assert {a["name"]: a["department"] for a in listed}["mz"] == "MZ"
    assert all(a["title_zh"] and a["title_en"] and a["suffix"] for a in listed)


def test_the_real_command() -> None:
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           "adapters", "--format", "json"], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert [a["name"] for a in json.loads(done.stdout)] == NAMES

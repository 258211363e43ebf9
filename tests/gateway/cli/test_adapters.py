"""``yipanqi adapters`` lists the installed department adapters."""

from __future__ import annotations

import json
import os
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


BROKEN_PLUGIN = '''
from adapters.ga import TemporaryResidenceAdapter


class TextDepartment(TemporaryResidenceAdapter):
    name = "textdept"
    department = "XX"


def exits():
    raise SystemExit(3)


class Good(TemporaryResidenceAdapter):
    name = "extra"
'''
ENTRY_POINTS = """[yipanqi.adapters]
textdept = brokenplugin:TextDepartment
exits = brokenplugin:exits
extra = brokenplugin:Good
"""


def test_broken_installed_plugins_are_warned_about_and_the_rest_listed(tmp_path) -> None:
    """A real distribution on the path: one adapter names a department that is text, one
    factory exits; each is a warning, and the built-in adapters and the good one are
    listed."""
    (tmp_path / "brokenplugin.py").write_text(BROKEN_PLUGIN, encoding="utf-8")
    info = tmp_path / "brokenplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplugin\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           "adapters", "--format", "json"], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert [a["name"] for a in json.loads(done.stdout)] == sorted([*NAMES, "extra"])
    assert "'textdept'" in done.stderr and "department 'XX' is not one of" in done.stderr
    assert "'exits'" in done.stderr and "SystemExit: 3" in done.stderr
    assert "Traceback" not in done.stderr

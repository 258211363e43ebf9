"""``yipanqi convert``: XML ↔ JSON and version 1 ↔ 2 on the sample documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import gateway.cli.convert  # noqa: F401  (registers the command)
from fixtures._people import birth_registration_report, org_code
from fixtures.generate import HERE as DOCUMENTS
from gateway.cli import app
from schema.jsoncodec import loads_json
from schema.models import v1
from schema.validation import validate_path
from schema.xmlcodec import loads_xml

VALID = DOCUMENTS / "valid"
STEMS = ["person-record", "change-report", "change-report-batch"]
LOSSY = VALID / "v2" / "birth-registration-report"
LOST = ["changeType", "changedFields", "record.birthRegistration", "record.employer.creditCode"]

runner = CliRunner()


class Run:
    """What one ``yipanqi convert`` run wrote."""

    def __init__(self, code: int, out: bytes, err: str) -> None:
        self.code = code
        self.out = out
        self.err = " ".join(err.split())  # rich wraps long lines at 80 columns
        self.compact = "".join(err.split())  # ... and may fold a long word


def convert(*args: str | Path) -> Run:
    result = runner.invoke(app, ["convert", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return Run(result.exit_code, result.stdout_bytes, result.stderr)


def load(data: bytes) -> Any:
    return loads_xml(data) if data.lstrip().startswith(b"<") else loads_json(data)


def samples() -> list[Path]:
    return sorted(p for p in VALID.rglob("*.*")
                  if ".gb18030." not in p.name and ".utf-16." not in p.name)


# -- between formats -----------------------------------------------------------------------


@pytest.mark.parametrize("path", samples(), ids=lambda p: p.relative_to(VALID).as_posix())
@pytest.mark.parametrize("to", ["xml", "json"])
def test_format_conversion_writes_the_committed_twin(path: Path, to: str) -> None:
    """Each sample converts to exactly its committed twin in the other (or same) format."""
    run = convert(path, "--to", to)
    assert (run.code, run.err) == (0, "")
    assert run.out == path.with_suffix(f".{to}").read_bytes()


@pytest.mark.parametrize("path", samples(), ids=lambda p: p.relative_to(VALID).as_posix())
def test_round_trip_gives_back_the_document(path: Path) -> None:
    other = "json" if path.suffix == ".xml" else "xml"
    there = convert(path, "--to", other)
    assert there.code == 0
    assert load(there.out) == load(path.read_bytes())


def test_round_trip_through_files(tmp_path: Path) -> None:
    """xml → json → xml and json → xml → json give back the very bytes."""
    for path in samples():
        other = "json" if path.suffix == ".xml" else "xml"
        middle = tmp_path / f"{path.stem}.{other}"
        final = tmp_path / f"{path.stem}.back{path.suffix}"
        assert convert(path, "--to", other, "-o", middle).code == 0
        assert convert(middle, "--to", path.suffix.lstrip("."), "-o", final).code == 0
        assert load(final.read_bytes()) == load(path.read_bytes())
        assert final.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_other_encodings_convert_to_the_utf8_document(encoding: str) -> None:
    run = convert(VALID / "v2" / f"person-record.{encoding}.xml", "--to", "xml")
    assert run.code == 0
    assert run.out == (VALID / "v2" / "person-record.xml").read_bytes()


def test_output_option_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    run = convert(VALID / "v2" / "person-record.xml", "--to", "json", "-o", target)
    assert (run.code, run.out, run.err) == (0, b"", "")
    assert target.read_bytes() == (VALID / "v2" / "person-record.json").read_bytes()
    assert validate_path(target).valid


# -- between versions ----------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("source_ext", ["xml", "json"])
@pytest.mark.parametrize("to", ["xml", "json"])
def test_version_1_to_2_is_lossless(stem: str, source_ext: str, to: str) -> None:
    run = convert(VALID / "v1" / f"{stem}.{source_ext}", "--to", to, "--schema-version", "2")
    assert (run.code, run.err) == (0, "")
    assert run.out == (VALID / "v2" / f"{stem}.{to}").read_bytes()


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("to", ["xml", "json"])
def test_version_2_to_1_without_v2_only_fields(stem: str, to: str) -> None:
    run = convert(VALID / "v2" / f"{stem}.xml", "--to", to, "--schema-version", "1")
    assert (run.code, run.err) == (0, "")
    assert run.out == (VALID / "v1" / f"{stem}.{to}").read_bytes()


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_version_2_to_1_refuses_to_lose_data(ext: str, tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    run = convert(LOSSY.with_suffix(f".{ext}"), "--to", "xml", "--schema-version", "1",
                  "-o", target)
    assert run.code == 1
    assert run.out == b""
    assert not target.exists()
    assert "version 1 cannot hold" in run.err and "--allow-loss" in run.err
    for field in LOST:
        assert field in run.compact


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_version_2_to_1_with_allow_loss_lists_the_loss(ext: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{ext}"
    run = convert(LOSSY.with_suffix(f".{ext}"), "--to", ext, "--schema-version", "1",
                  "--allow-loss", "-o", target)
    assert run.code == 0
    for field in LOST:
        assert f"lost in version 1: {field}" in run.err
    document = load(target.read_bytes())
    assert isinstance(document, v1.ChangeReport)
    assert document.change_type == "CORRECTION"
    assert document.remarks is not None and "BIRTH_REGISTRATION" in document.remarks
    assert document.changed_fields is None
    assert document.record.employer is not None
    original = birth_registration_report().record.employer
    assert original is not None and original.org_code is None
    assert document.record.employer.org_code == org_code("MA3X4G2R")  # from the credit code
    result = validate_path(target)
    assert result.valid, result.errors


def test_allow_loss_is_silent_when_nothing_is_lost() -> None:
    run = convert(VALID / "v2" / "change-report.json", "--to", "json", "--schema-version", "1",
                  "--allow-loss")
    assert (run.code, run.err) == (0, "")
    assert run.out == (VALID / "v1" / "change-report.json").read_bytes()


# -- refusals ------------------------------------------------------------------------------

SCHEMA_INVALID = sorted((DOCUMENTS / "invalid").rglob("schema.*"))
HOSTILE = sorted((DOCUMENTS / "hostile").iterdir())


@pytest.mark.parametrize("path", [
    *[pytest.param(p, id=p.relative_to(DOCUMENTS).as_posix()) for p in SCHEMA_INVALID],
    *[pytest.param(p, id=p.relative_to(DOCUMENTS).as_posix()) for p in HOSTILE],
])
def test_invalid_input_exits_1(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    run = convert(path, "--to", "json", "-o", target)
    assert run.code == 1
    assert run.out == b""
    assert str(path) in run.compact
    assert not target.exists()


def test_convert_checks_the_schema_not_the_rules() -> None:
    # Conversion keeps what it is given: logic rules are validate's job (see --help).
    assert convert(DOCUMENTS / "invalid" / "id.sex.xml", "--to", "json").code == 0
    assert convert(DOCUMENTS / "invalid" / "schema.xml", "--to", "json").code == 1


@pytest.mark.parametrize("args", [
    ["--to", "yaml"], ["--to", "json", "--schema-version", "3"], [],
], ids=["bad-format", "bad-version", "no-target"])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert convert(VALID / "v2" / "person-record.xml", *args).code == 2


def test_a_large_batch_without_an_output_is_a_usage_error(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr("gateway.cli.convert.STREAM_ABOVE_BYTES", 100)
    run = convert(VALID / "v2" / "change-report-batch.xml", "--to", "json")
    assert run.code == 2 and "give -o OUT" in run.err


@pytest.mark.parametrize("where", ["directory", "missing"])
def test_an_output_that_cannot_be_written_is_named_and_exit_1(tmp_path: Path, where: str
                                                              ) -> None:
    target = tmp_path if where == "directory" else tmp_path / "nodir" / "x.json"
    run = convert(VALID / "v2" / "person-record.xml", "--to", "json", "-o", target)
    assert run.code == 1 and f"{target}: cannot read or write" in run.err
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    assert convert(tmp_path / "missing.xml", "--to", "json").code == 2


def test_real_command_converts_and_refuses() -> None:
    command = [sys.executable, "-c", "from gateway.cli import main; main()", "convert"]
    done = subprocess.run([*command, str(VALID / "v1" / "change-report-batch.json"), "--to",
                           "xml", "--schema-version", "2"], capture_output=True, check=False,
                          timeout=120)
    assert done.returncode == 0
    assert done.stdout == (VALID / "v2" / "change-report-batch.xml").read_bytes()
    done = subprocess.run([*command, str(LOSSY.with_suffix(".xml")), "--to", "json",
                           "--schema-version", "1"], capture_output=True, check=False,
                          timeout=120)
    assert done.returncode == 1
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr
    assert b"record.birthRegistration" in done.stderr

"""``yipanqi validate`` on every sample document: verdicts, rule ids, exit codes, output forms.

Most checks go through typer's CliRunner (fast, same process); the README's command, the
hostile files and the usage errors also run the real command in a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import gateway.cli.validate  # noqa: F401  (registers the command)
from fixtures._invalid import edit
from fixtures._people import inflow_report, wang_xiuying
from fixtures.generate import HERE as DOCUMENTS
from gateway.cli import app
from schema.issues import Severity
from schema.rules import RULES
from schema.xmlcodec import dumps_xml

VALID = sorted((DOCUMENTS / "valid").rglob("*.*"))
INVALID = sorted((DOCUMENTS / "invalid").rglob("*.*"))
HOSTILE = sorted((DOCUMENTS / "hostile").iterdir())
WARNING_RULES = {rule.id for rule in RULES.values() if rule.severity is Severity.WARNING}

#: The rule each hostile file is reported under.
HOSTILE_RULES = {
    "billion-laughs.xml": "malformed",
    "external-entity.xml": "malformed",
    "dtd.xml": "malformed",
    "truncated-batch.xml": "malformed",
    "truncated-batch.json": "malformed",
    "garbage.bin": "malformed",
    "empty.xml": "malformed",
    "deep-nesting.json": "malformed",
    "deep-nesting.xml": "malformed",
    "duplicate-keys.json": "malformed",
    "nan.json": "malformed",
    "lone-surrogate.json": "malformed",
    "utf8-declared-gb18030.xml": "malformed",
    "gb18030-declared-utf8.xml": "malformed",
    "unknown-namespace.xml": "unknown-document",
    "unknown-type.json": "unknown-document",
}
#: `file:line: severity rule-id: message`, the line `?` when unknown.
FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+|\?): (?P<severity>error|warning) "
                     r"(?P<rule>[a-z0-9.-]+): (?P<message>.+)$")
SUMMARY = re.compile(r"^(?P<file>.+): (?P<verdict>valid|invalid) \((?P<kind>.+); "
                     r"(?P<errors>\d+) errors, (?P<warnings>\d+) warnings\)$")
DOCUMENT_TYPES = {"person-record": "PersonRecord", "change-report": "ChangeReport",
                  "change-report-batch": "ChangeReportBatch",
                  "birth-registration-report": "ChangeReport",
                  "department-notice": "DepartmentNotice"}

runner = CliRunner()


def _params(paths: list[Path]) -> list[Any]:
    return [pytest.param(path, id=path.relative_to(DOCUMENTS).as_posix()) for path in paths]


def expected(path: Path) -> tuple[bool, set[str], set[str]]:
    """(valid, error rule ids, warning rule ids) the fixture must give."""
    kind = path.relative_to(DOCUMENTS).parts[0]
    if kind == "valid":
        return True, set(), set()
    if kind == "hostile":
        return False, {HOSTILE_RULES[path.name]}, set()
    rule = path.name.removesuffix(path.suffix)
    if rule in WARNING_RULES:
        return True, set(), {rule}
    return False, {rule}, set()


def identity(path: Path) -> tuple[str, str, str]:
    """(format, schemaVersion, documentType) of a valid or invalid fixture."""
    rel = path.relative_to(DOCUMENTS)
    version = "1" if "v1" in rel.parts else "2"
    stem = path.name.split(".")[0]
    if rel.parts[0] == "valid":
        doc_type = DOCUMENT_TYPES[stem]
    else:
        doc_type = "ChangeReportBatch" if path.name.startswith("batch.") else "ChangeReport"
    return path.suffix.lstrip("."), version, doc_type


def validate(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout


def validate_json(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    code, out = validate("--format", "json", *args)
    return code, json.loads(out)


def real_command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed ``yipanqi`` entry point, run as its own process."""
    return subprocess.run(
        [sys.executable, "-c", "from gateway.cli import main; main()", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def rules(findings: list[dict[str, Any]]) -> set[str]:
    return {f["rule"] for f in findings}


# -- verdicts and rule ids -----------------------------------------------------------------


@pytest.mark.parametrize("path", _params(VALID + INVALID + HOSTILE))
def test_verdict_and_exact_rule_ids(path: Path) -> None:
    valid, errors, warnings = expected(path)
    code, results = validate_json(path)
    [result] = results
    assert (result["valid"], rules(result["errors"]), rules(result["warnings"])) == (
        valid, errors, warnings)
    assert code == (0 if valid else 1)


@pytest.mark.parametrize("path", _params(VALID + INVALID))
def test_format_version_and_document_type(path: Path) -> None:
    _, [result] = validate_json(path)
    assert (result["format"], result["schemaVersion"], result["documentType"]) == identity(path)


@pytest.mark.parametrize("rule", sorted(WARNING_RULES))
@pytest.mark.parametrize("ext", ["xml", "json"])
def test_strict_turns_the_warning_samples_invalid(rule: str, ext: str) -> None:
    path = DOCUMENTS / "invalid" / f"{rule}.{ext}"
    code, [result] = validate_json("--strict", path)
    assert code == 1
    assert not result["valid"]
    assert rules(result["errors"]) == {rule}
    assert result["warnings"] == []


def test_strict_leaves_valid_samples_valid() -> None:
    code, results = validate_json("--strict", *VALID)
    assert code == 0
    assert all(r["valid"] and not r["warnings"] for r in results)


def test_one_invalid_file_among_valid_ones_fails_the_run() -> None:
    code, results = validate_json(*VALID, DOCUMENTS / "invalid" / "id.sex.xml")
    assert code == 1
    assert [r["valid"] for r in results] == [True] * len(VALID) + [False]


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    code, [result] = validate_json(tmp_path / "missing.xml")
    assert code == 1
    assert rules(result["errors"]) == {"unreadable"}


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    code, [result] = validate_json(tmp_path)
    assert code == 1
    assert rules(result["errors"]) == {"unreadable"}


# -- text output ---------------------------------------------------------------------------


def _finding_lines(out: str) -> list[re.Match[str]]:
    lines = [line for line in out.splitlines() if "more findings not shown" not in line]
    matches = [FINDING.match(line) for line in lines[:-1]]
    assert all(matches), lines
    assert SUMMARY.match(lines[-1]), lines[-1]
    return [m for m in matches if m is not None]


def _segments(path: str) -> list[str]:
    return ["report" if s == "reports" else s for s in re.findall(r"[A-Za-z]+", path)]


def _points_at_the_field(fixture: Path, line: int, path: str) -> bool:
    """The line names a field along the finding's path (the field itself, or the deepest
    part of the path that is present): its element in XML, its member in JSON, or the
    start of a list item."""
    text = fixture.read_text(encoding="utf-8").splitlines()[line - 1]
    segments = _segments(path)
    if fixture.suffix == ".json":
        item_start = path.endswith("]") and text.strip()[:1] in ('{', '"')
        return item_start or any(f'"{segment}"' in text for segment in segments)
    return any(f"<{segment}>" in text or f"<{segment} " in text for segment in segments)


@pytest.mark.parametrize("path", _params(INVALID))
def test_text_lines_locate_each_finding(path: Path) -> None:
    valid, errors, warnings = expected(path)
    code, out = validate(path)
    findings = _finding_lines(out)
    assert {(m["severity"], m["rule"]) for m in findings} == (
        {("error", r) for r in errors} | {("warning", r) for r in warnings})
    for match in findings:
        assert match["file"] == str(path)
        assert match["line"].isdigit() and int(match["line"]) >= 1, match.group(0)
        assert " / " in match["message"]  # Chinese / English
    summary = SUMMARY.match(out.splitlines()[-1])
    assert summary is not None
    assert summary["verdict"] == ("valid" if valid else "invalid")
    assert (int(summary["errors"]), int(summary["warnings"])) == (
        len([m for m in findings if m["severity"] == "error"]),
        len([m for m in findings if m["severity"] == "warning"]))
    assert code == (0 if valid else 1)


LOGIC_SAMPLES = [p for p in INVALID
                 if p.name.removesuffix(p.suffix) not in ("schema", "batch.count")]
@pytest.mark.parametrize("path", _params(LOGIC_SAMPLES) + [
    pytest.param(DOCUMENTS / "invalid" / "batch.count.xml", id="batch.count.xml"),
    pytest.param(DOCUMENTS / "invalid" / "batch.count.json", id="batch.count.json"),
])
def test_rule_findings_carry_the_line_of_their_field(path: Path) -> None:
    """XML and JSON findings name the line of their field."""
    _, [result] = validate_json(path)
    for finding in result["errors"] + result["warnings"]:
        assert _points_at_the_field(path, finding["line"], finding["path"]), finding


def test_text_line_of_a_located_finding() -> None:
    path = DOCUMENTS / "invalid" / "id.sex.xml"
    _, out = validate(path)
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:18: error id.sex: ")
    assert first.endswith("[record.idNumber]")


@pytest.mark.parametrize("path", _params(HOSTILE))
def test_text_output_of_hostile_files(path: Path) -> None:
    code, out = validate(path)
    [finding] = _finding_lines(out)
    assert finding["rule"] == HOSTILE_RULES[path.name]
    assert code == 1


def _three_findings(directory: Path) -> Path:
    report = edit(inflow_report(wang_xiuying(), "R1"), {
        "idNumber": "411622198503124513",  # id.sex, id.checksum
        "marriageDate": None,  # marriage.date-missing
    })
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "three.xml"
    path.write_bytes(dumps_xml(report))
    return path


def test_findings_beyond_the_cap_are_counted(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("schema.validation._result.MAX_ISSUES", 2)
    _three_findings(tmp_path)
    code, out = validate("three.xml")
    assert code == 1
    assert len(_finding_lines(out)) == 2
    assert "three.xml: … 1 more findings not shown" in out.splitlines()


def test_the_cap_line_is_not_wrapped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("schema.validation._result.MAX_ISSUES", 2)
    path = _three_findings(tmp_path / ("long-directory-name-" * 4))
    _, out = validate(path)
    assert f"{path}: … 1 more findings not shown" in out.splitlines()


# -- JSON output ---------------------------------------------------------------------------

RESULT_KEYS = ["file", "valid", "format", "schemaVersion", "documentType", "errors",
               "warnings"]
FINDING_KEYS = ["rule", "path", "line", "message"]


def test_json_output_shape() -> None:
    paths = [DOCUMENTS / "valid" / "v2" / "person-record.xml",
             DOCUMENTS / "invalid" / "marriage.age.json",
             DOCUMENTS / "invalid" / "child.order.xml",
             DOCUMENTS / "hostile" / "garbage.bin"]
    code, results = validate_json(*paths)
    assert code == 1
    assert [r["file"] for r in results] == [str(p) for p in paths]
    for result in results:
        assert list(result) == RESULT_KEYS
        assert isinstance(result["valid"], bool)
        for finding in result["errors"] + result["warnings"]:
            assert list(finding) == FINDING_KEYS
            assert isinstance(finding["rule"], str) and isinstance(finding["path"], str)
            assert finding["line"] is None or isinstance(finding["line"], int)
            assert isinstance(finding["message"], str) and " / " in finding["message"]
    assert results[0] == {"file": str(paths[0]), "valid": True, "format": "xml",
                          "schemaVersion": "2", "documentType": "PersonRecord",
                          "errors": [], "warnings": []}
    [warning] = results[1]["warnings"]
    assert (warning["rule"], warning["path"]) == ("marriage.age", "record.marriageDate")
    [error] = results[2]["errors"]
    assert (error["rule"], error["path"]) == ("child.order", "record.children[1].birthOrder")
    assert results[3]["format"] is None and results[3]["documentType"] is None


def test_json_output_is_only_json() -> None:
    """Nothing but the list goes to standard output (no progress, no summary)."""
    _, out = validate("--format", "json", *VALID)
    assert out.startswith("[") and out.endswith("]\n")


# -- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["--format", "yaml", "x.xml"], ["--bogus", "x.xml"]],
                         ids=["no-paths", "bad-format", "unknown-option"])
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _ = validate(*args)
    assert code == 2


# -- the real command ----------------------------------------------------------------------


def test_readme_main_command_exits_0() -> None:
    """`yipanqi validate fixtures/documents/valid/*/*`"""
    done = real_command("validate", *sorted((DOCUMENTS / "valid").glob("*/*")))
    assert done.returncode == 0, done.stdout + done.stderr
    summaries = [SUMMARY.match(line) for line in done.stdout.splitlines()]
    assert len(summaries) == len(VALID)
    assert all(m is not None and m["verdict"] == "valid" for m in summaries)


def test_the_installed_console_script() -> None:
    """The ``yipanqi`` entry point that ``pip install`` puts beside the interpreter."""
    script = Path(sys.executable).with_name("yipanqi")
    assert script.is_file(), f"no {script}: install the project (pip install -e .)"
    done = subprocess.run([str(script), "validate", *sorted((DOCUMENTS / "valid").glob("*/*"))],
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_real_command_on_every_sample() -> None:
    done = real_command("validate", "--format", "json", *VALID, *INVALID, *HOSTILE)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    results = {r["file"]: r for r in json.loads(done.stdout)}
    for path in VALID + INVALID + HOSTILE:
        valid, errors, warnings = expected(path)
        result = results[str(path)]
        assert (result["valid"], rules(result["errors"]), rules(result["warnings"])) == (
            valid, errors, warnings), path


@pytest.mark.parametrize("path", _params(HOSTILE))
def test_real_command_refuses_hostile_files(path: Path) -> None:
    done = real_command("validate", path)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1, done.stdout
    assert f"error {HOSTILE_RULES[path.name]}: " in done.stdout


@pytest.mark.parametrize("args", [[], ["--format", "yaml", "x.xml"]],
                         ids=["no-paths", "bad-format"])
def test_real_command_usage_errors_exit_2(args: list[str]) -> None:
    done = real_command("validate", *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("name", ["change-report.json", "change-report.xml",
                                  "change-report-batch.json"])
@pytest.mark.parametrize("given", ["-", "/dev/stdin"])
def test_standard_input_from_a_pipe_is_validated(name: str, given: str) -> None:
    data = (DOCUMENTS / "valid" / "v2" / name).read_bytes()
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           "validate", given], input=data, capture_output=True, timeout=120,
                          check=False)
    shown = "<stdin>" if given == "-" else given
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith(f"{shown}: valid (")


def test_an_invalid_document_from_standard_input_is_located() -> None:
    data = (DOCUMENTS / "invalid" / "id.sex.json").read_bytes()
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           "validate", "-"], input=data, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 1 and b"<stdin>:" in done.stdout and b"id.sex" in done.stdout

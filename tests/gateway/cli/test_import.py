"""``yipanqi import``: notices out, rejects beside, a summary, exit 0 / 1 / 2, --submit."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from typer.testing import CliRunner, Result

import adapters._parallel
import gateway.cli.import_  # noqa: F401  (registers the command)
from fixtures.departments.samples import HERE as SAMPLES
from fixtures.departments.synthetic import write_export
from gateway.cli import app
from schema.artefacts import xml_schema
from schema.codes import SchemaVersion
from schema.jsoncodec import from_json_object

GA = SAMPLES / "ga" / "暂住人口登记信息.csv"
FG = SAMPLES / "fg" / "房屋租赁登记备案.csv"
FG_GOOD = ("\ufeff备案编号,承租人姓名,承租人证件号码,房屋坐落,房屋所在区划,租赁起始日期,"
           "备案机关代码\r\nA1,王秀英,411622198503124529,郑州市中原区建设西路187号,410102,2010-03-10,410102\r\n")


def run(*args: object) -> Result:
    result = CliRunner().invoke(app, ["import", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def ga(tmp_path: Path) -> Path:
    return Path(shutil.copy(GA, tmp_path / GA.name))


def test_notices_rejects_summary_and_exit_1(ga: Path, tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    result = run(ga, "--adapter", "ga", "-o", out)
    assert result.exit_code == 1
    notices = [from_json_object(json.loads(line)) for line in out.read_text().splitlines()]
    assert len(notices) == 8
    stderr = result.stderr
    assert f"{ga}:9: error row.id-scientific:" in stderr and "[公民身份号码]" in stderr
    assert f"{ga}:8: warning row.duplicate:" in stderr
    assert "rows read 读取 14, notices made 生成通报 8" in stderr
    assert "rows refused 拒收 5" in stderr and "refused 拒收 row.date: 1" in stderr
    rejects = tmp_path / "暂住人口登记信息.rejects.csv"
    assert f"rejects 拒收文件: {rejects}" in stderr
    rows = list(csv.reader(io.StringIO(rejects.read_bytes().decode("gb18030"))))
    assert rows[0][-1] == "拒收原因" and len(rows) == 6
    assert rows[1][-1].startswith("第9行 row.id-scientific：")


def test_same_file_twice_same_notices(ga: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(ga, "--adapter", "ga", "-o", first)
    run(ga, "--adapter", "ga", "-o", second, "--rejects", tmp_path / "r.csv")
    assert first.read_bytes() == second.read_bytes()


def test_every_row_taken_exits_0_to_stdout_without_rejects(tmp_path: Path) -> None:
    export = tmp_path / "fg.csv"
    export.write_bytes(FG_GOOD.encode())
    result = run(export, "--adapter", "fg")
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["type"] == "DepartmentNotice"
    assert not (tmp_path / "fg.rejects.csv").exists()
    assert "earlier run" not in result.stderr


def test_a_rejects_file_left_by_an_earlier_run_is_pointed_out(tmp_path: Path) -> None:
    """Refusing nothing, the run writes no rejects file; one already there is from before,
    and the clerk is told so (it is theirs: left as it is)."""
    export = tmp_path / "fg.csv"
    export.write_bytes(FG_GOOD.encode())
    earlier = tmp_path / "fg.rejects.csv"
    earlier.write_bytes(b"old")
    result = run(export, "--adapter", "fg", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.stderr
    assert f"{earlier} is from an earlier run" in " ".join(result.stderr.split())
    assert earlier.read_bytes() == b"old"


def test_xml_output_holds_schema_valid_notices(tmp_path: Path) -> None:
    out = tmp_path / "notices.xml"
    assert run(FG, "--adapter", "fg", "--to", "xml", "-o", out,
               "--rejects", tmp_path / "r.csv").exit_code == 1
    root = etree.parse(str(out)).getroot()
    assert root.tag == "notices" and len(root) == 3
    for notice in root:
        xml_schema(SchemaVersion.V2).assertValid(notice)


@pytest.mark.parametrize("content", [b"", b"\x00PK\x03\x04" * 100, FG_GOOD.split("\n")[0]
                                     .encode()])
def test_unreadable_files_exit_1_with_a_located_error(tmp_path: Path, content: bytes) -> None:
    export = tmp_path / "x.csv"
    export.write_bytes(content)
    result = run(export, "--adapter", "fg", "-o", tmp_path / "o.jsonl")
    assert result.exit_code == 1
    assert f"{export}:1: error file." in result.stderr


def test_a_missing_file_exits_1(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.csv", "--adapter", "fg")
    assert result.exit_code == 1 and "cannot read" in result.stderr


@pytest.mark.parametrize("args", [["--adapter", "nope"], [], ["--adapter", "ga", "--to", "pdf"]])
def test_usage_errors_exit_2(ga: Path, args: list[str]) -> None:
    assert run(ga, *args).exit_code == 2


@pytest.mark.parametrize("outputs", [
    ["-o", "{export}"], ["--rejects", "{export}"], ["-o", "{other}", "--rejects", "{other}"],
    ["-o", "{relative}"], ["-o", "{tmp}"], ["--rejects", "{tmp}"],
    ["-o", "{nowhere}"], ["--rejects", "{nowhere}"]])
def test_an_output_that_cannot_be_written_is_a_usage_error_and_leaves_the_export(
        ga: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outputs: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    before = ga.read_bytes()
    names = {"export": str(ga), "other": str(tmp_path / "out.txt"),
             "relative": f"./{ga.name}", "tmp": str(tmp_path),
             "nowhere": str(tmp_path / "no-such-dir" / "out.txt")}
    result = run(ga, "--adapter", "ga", *(o.format(**names) for o in outputs))
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # as the error box wraps it
    assert any(reason in said for reason in ("would destroy it", "give each its own",
                                             "is a directory", "does not exist"))
    assert ga.read_bytes() == before
    assert not (tmp_path / "out.txt").exists()


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    paths: list[str] = []

    def do_POST(self) -> None:  # noqa: N802  (the http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        type(self).paths.append(self.path)
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received, _Gateway.paths = [], []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_submit_posts_the_notices(ga: Path, gateway_url: str) -> None:
    result = run(ga, "--adapter", "ga", "--submit", gateway_url + "/")
    assert result.exit_code == 1  # rows were refused; the taken ones were submitted
    assert _Gateway.paths == ["/api/v1/notices"]
    (body,) = _Gateway.received
    assert len(body["notices"]) == 8 and body["notices"][0]["type"] == "DepartmentNotice"
    assert result.stdout == ""  # --submit without -o writes no file


def test_submit_to_an_unreachable_gateway_fails_cleanly(ga: Path) -> None:
    result = run(ga, "--adapter", "ga", "--submit", "http://127.0.0.1:9", "-o", "/dev/null")
    assert result.exit_code == 1
    assert "cannot reach the gateway at http://127.0.0.1:9/api/v1/notices" in result.stderr
    assert "Loading the file again is safe" in result.stderr


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1", "http://", "127.0.0.1:8411",
                                 "http://[::1", "http://127.0.0.1:port"])
def test_what_is_not_a_gateway_url_is_a_usage_error(ga: Path, tmp_path: Path, url: str) -> None:
    rejects = tmp_path / "r.csv"
    result = run(ga, "--adapter", "ga", "--submit", url, "--rejects", rejects)
    assert result.exit_code == 2
    assert "is not a gateway URL" in result.stderr
    assert not rejects.exists()  # refused before any row was read


def test_a_token_that_cannot_travel_in_a_header_is_a_usage_error(ga: Path, tmp_path: Path
                                                                 ) -> None:
    result = run(ga, "--adapter", "ga", "--submit", "http://127.0.0.1:9", "--token", "令牌",
                 "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 2 and "printable ASCII" in result.stderr


def test_a_failed_run_leaves_the_earlier_output_and_rejects_as_they_were(
        ga: Path, tmp_path: Path) -> None:
    """The gateway cannot be reached half-way: the files of the earlier run stay whole,
    and no temporary file is left beside them."""
    out, rejects = tmp_path / "notices.jsonl", tmp_path / "r.csv"
    out.write_bytes(b"earlier notices\n")
    rejects.write_bytes(b"earlier rejects\n")
    before = sorted(tmp_path.iterdir())
    result = run(ga, "--adapter", "ga", "--submit", "http://127.0.0.1:9", "-o", out,
                 "--rejects", rejects)
    assert result.exit_code == 1 and "cannot reach the gateway" in result.stderr
    assert (out.read_bytes(), rejects.read_bytes()) == (b"earlier notices\n",
                                                        b"earlier rejects\n")
    assert sorted(tmp_path.iterdir()) == before


def test_an_output_device_that_is_full_is_named(ga: Path, tmp_path: Path) -> None:
    result = run(ga, "--adapter", "ga", "-o", "/dev/full", "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 1
    assert "/dev/full: cannot read or write: No space left on device" in result.stderr


def test_a_file_name_that_is_not_utf8_is_read_as_gb18030(tmp_path: Path) -> None:
    """A name copied from a Chinese Windows: its rows are taken, and source.file holds it."""
    name = os.fsdecode("暂住人口.csv".encode("gbk"))
    export = Path(shutil.copy(GA, tmp_path / name))
    out = tmp_path / "notices.jsonl"
    result = run(export, "--adapter", "ga", "-o", out, "--rejects", tmp_path / "r.csv")
    assert result.exit_code == 1 and "rows read 读取 14, notices made 生成通报 8" in result.stderr
    files = {json.loads(line)["source"]["file"] for line in out.read_text().splitlines()}
    assert files == {"暂住人口.csv"}


def test_the_real_command_streams_a_gb18030_file(ga: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           "import", str(ga), "--adapter", "ga", "-o",
                           str(tmp_path / "n.jsonl")],
                          capture_output=True, text=True, encoding="utf-8", timeout=60,
                          check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "notices made 生成通报 8" in done.stderr


def test_a_birth_order_python_cannot_read_is_a_refused_row_not_a_traceback(
        tmp_path: Path) -> None:
    sample = (SAMPLES / "ws" / "出生登记.csv").read_bytes().decode("utf-8-sig")
    export = tmp_path / "出生登记.csv"
    export.write_bytes(b"\xef\xbb\xbf" + sample.replace(",1,王秀英", ",①,王秀英", 1).encode())
    result = run(export, "--adapter", "ws", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert f"{export}:2: error row.code:" in result.stderr and "[孩次]" in result.stderr


def _synthetic_ga(rows: int) -> bytes:
    stream = io.BytesIO()
    write_export(stream, rows)
    return stream.getvalue()


def _stray_quote(data: bytes, line: int) -> bytes:
    """The export with the address (暂住地详址) on ``line`` typed with an opening quote."""
    lines = data.split(b"\r\n")
    fields = lines[line - 1].split(b",")
    fields[11] = b'"' + fields[11]
    lines[line - 1] = b",".join(fields)
    return b"\r\n".join(lines)


@pytest.mark.parametrize("case", ["stray-quote", "cr-only", "rs-cr-only"])
def test_broken_line_ends_and_quotes_read_alike_on_one_core_and_on_every_core(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: str) -> None:
    """An unmatched quote refuses its line alone, into a rejects file that loads again; a
    file of CR line ends reads as its CRLF original; the same with -j 1 and -j 2 (any file
    goes parallel, in 4 KiB chunks)."""
    monkeypatch.setattr(adapters._parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(adapters._parallel, "CHUNK_BYTES", 4096)
    adapter, name = ("rs", "就业登记.txt") if case == "rs-cr-only" else ("ga", "ga.csv")
    original = ((SAMPLES / "rs" / name).read_bytes() * 40 if adapter == "rs"
                else _synthetic_ga(1500))
    data = (_stray_quote(original, 700) if case == "stray-quote"
            else original.replace(b"\r\n", b"\r"))
    export, plain = tmp_path / name, tmp_path / f"plain-{name}"
    export.write_bytes(data)
    plain.write_bytes(original)

    def load(path: Path, jobs: int) -> tuple[int, bytes, bytes]:
        out, rejects = tmp_path / f"{jobs}.out", tmp_path / f"{jobs}.rejects"
        rejects.unlink(missing_ok=True)
        result = run(path, "--adapter", adapter, "-o", out, "--rejects", rejects,
                     "-j", jobs)
        return (result.exit_code, out.read_bytes(),
                rejects.read_bytes() if rejects.exists() else b"")

    one = load(export, 1)
    assert load(export, 2) == one
    if case == "stray-quote":
        exit_code, out, rejected = one
        notices = [json.loads(line) for line in out.splitlines()]
        assert exit_code == 1 and len(notices) == 1499
        assert [n["source"]["row"] for n in notices] == [*range(2, 700), *range(701, 1502)]
        header, refused = list(csv.reader(io.StringIO(rejected.decode("gb18030"))))
        assert refused[11].startswith('"') and "引号不成对" in refused[-1]
        fixed = tmp_path / "fixed.csv"
        refused[11] = refused[11].lstrip('"')
        fixed.write_bytes((",".join(header) + "\r\n" + ",".join(refused) + "\r\n")
                          .encode("gb18030"))
        assert run(fixed, "--adapter", "ga", "-o", tmp_path / "f.jsonl").exit_code == 0
    else:
        assert one[1] == load(plain, 1)[1].replace(plain.name.encode(), name.encode())

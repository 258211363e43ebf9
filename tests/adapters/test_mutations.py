"""Every adapter's sample, damaged at random (bytes cut, inserted, overwritten, lines
repeated or cut short): the import gives each row its notices or a located finding, or
refuses the file as unreadable, and never raises anything else."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters import ExportImport, RowError, Taken, adapters, get_adapter
from adapters._xml import XmlExport
from fixtures.departments.samples import HERE, SAMPLES
from tests.adapters._support import TODAY

SAMPLE_OF = {name.split("/")[0]: (HERE / name).read_bytes() for name in SAMPLES}


@st.composite
def damaged(draw: st.DrawFn, data: bytes, *, lone_cr: bool = True) -> bytes:
    """``data`` damaged; without a lone CR (a line end inside a row) if not ``lone_cr``."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "insert", "overwrite", "repeat", "truncate"]))
        if how == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif how == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
        elif how == "overwrite":
            piece = draw(st.sampled_from([b'"', b",", b"\r", b"\n", b"<", b">", b"&", b"\x00",
                                          b"\xff", b"\xa3", b"\x81\x30", b" "]))
            data = data[:at] + piece + data[at + len(piece):]
        elif how == "repeat":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data = data[:end] + data[start:end] + data[end:]
        else:
            data = data[:at]
    if not lone_cr:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"").replace(b"\n", b"\r\n")
    return data


@pytest.mark.parametrize("name", sorted(adapters()))
def test_a_damaged_sample_gives_rows_or_located_findings(name: str) -> None:
    sample = SAMPLE_OF[name]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(damaged(sample))
    def check(data: bytes) -> None:
        job = ExportImport(get_adapter(name), io.BytesIO(data), "export", today=TODAY)
        rows: list[int] = []
        notices = 0
        for item in job:  # anything raised fails the test
            if isinstance(item, Taken):
                assert item.notices or [w.rule for w in item.warnings] == ["row.duplicate"]
                rows.append(item.row.number)
                notices += len(item.notices)
                continue
            assert isinstance(item, RowError)
            assert item.file == "export" and item.rule and item.message_zh and item.message_en
            if item is job.summary.unreadable:
                assert item.rule.startswith("file.")
            else:
                assert item.row is not None
                rows.append(item.row)
        assert all(row >= 1 for row in rows)
        if not isinstance(job.reader, XmlExport):
            # (XML records are told as they end: one inside another comes before it.)
            assert rows == sorted(rows)
        assert (job.summary.rows, job.summary.notices) == (len(rows), notices)

    check()


def _outcomes(name: str, data: bytes, rejects: io.BytesIO | None = None) -> list[str | None]:
    """Each row of ``data``, in order: ``None`` for a taken one, the rule for a refused one
    (written to ``rejects`` if given)."""
    job = ExportImport(get_adapter(name), io.BytesIO(data), "export", today=TODAY)
    writer = None
    rows: list[str | None] = []
    for item in job:
        if isinstance(item, Taken):
            rows.append(None)
        elif item is not job.summary.unreadable:
            rows.append(item.rule)
            if rejects is not None and item.raw is not None:
                writer = writer or job.reader.rejects(rejects)
                writer.write(item.raw, f"第{item.row}行 {item.rule}")
    if writer is not None:
        writer.close()
    return rows


@pytest.mark.parametrize("name", sorted(adapters()))
def test_the_rejects_file_of_a_damaged_sample_refuses_its_rows_again(name: str) -> None:
    """Loaded again uncorrected, the rejects file holds the same rows, and each row refused
    for what it holds is refused again. A truncated row (``row.columns``) comes back
    padded to the header's width, its missing cells empty, as a spreadsheet shows it: it
    loads if those cells may be empty."""
    sample = SAMPLE_OF[name]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(damaged(sample, lone_cr=False))
    def check(data: bytes) -> None:
        rejects = io.BytesIO()
        refused = [rule for rule in _outcomes(name, data, rejects) if rule is not None]
        if rejects.getvalue():
            again = _outcomes(name, rejects.getvalue())
            assert len(again) == len(refused)
            assert [rule for rule, now in zip(refused, again, strict=True)
                    if now is None and rule != "row.columns"] == []

    check()

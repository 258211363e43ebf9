"""Importing an export on every core, with the same results as reading it in order.

Rows are made into notices and encoded for the outputs a batch at a time
(:func:`_encode_rows`). A large line-based export (its reader is a
:class:`~adapters._protocol.SplittableReader`) is cut into chunks of whole records, each
encoded by a worker process; this process puts the results back in file order, drops
repeated notices and keeps the summary. A large export that cannot be cut (XML) is read
here and its rows sent to the workers a batch at a time, each refused row's record kept here
(:meth:`~adapters._protocol.RawKeeper.keep_raw`) for the rejects file. Small files and
streams that cannot seek are encoded here, in batches of rows, by the same function. Every
way, the notices, findings and summary are those of :class:`~adapters._run.ExportImport`.

Workers are forked: they inherit the open reader (its header and encoding), the adapter and
the encoders, so nothing but bytes and findings cross between processes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from typing import Any, BinaryIO, NamedTuple

from adapters._chunks import Chunk
from adapters._protocol import (
    Adapter,
    ExportReader,
    RawKeeper,
    Row,
    RowError,
    SplittableReader,
)
from adapters._run import (
    ExportImport,
    ImportSummary,
    NoticeMaker,
    Refusal,
    adapter_failed,
    digest_of,
)
from adapters.errors import ExportUnreadable, ImportWorkerLost
from schema.models.v2 import DepartmentNotice

#: What a worker is given at a time: the notices of a chunk, encoded, take several times
#: its size, and one chunk more than there are workers is in flight.
CHUNK_BYTES = 256 << 10
#: Smaller files are read in this process: starting workers would cost more than it saves.
PARALLEL_FROM = 8 << 20
#: Rows encoded at a time in this process.
_BATCH_ROWS = 1024

#: Turns a notice (and its JSON document) into what an output writes: bytes ending in a
#: line feed. Module-level functions, so that workers can be told which to run.
Encoder = Callable[[DepartmentNotice, bytes], bytes]


class Encoded(NamedTuple):
    """Fresh notices of one row or more: ``payloads[i]`` holds their encodings by
    ``encoders[i]``, one after the other; ``warnings`` are the row's."""

    payloads: tuple[bytes, ...]
    notices: int
    warnings: tuple[RowError, ...] = ()


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class EncodedImport:
    """One pass over one export, on ``jobs`` processes when it pays; iterate it for
    :class:`Encoded` notices and refused rows (:class:`RowError`)."""

    def __init__(self, adapter: Adapter, stream: BinaryIO, file: str,
                 encoders: Sequence[Encoder], *, jobs: int | None = None,
                 today: dt.date | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.encoders = tuple(encoders)
        self.run = ExportImport(adapter, stream, file, today=today, progress=progress)
        self.jobs = jobs or default_jobs()

    @property
    def summary(self) -> ImportSummary:
        return self.run.summary

    @property
    def reader(self) -> ExportReader:
        """The export's reader (for its rejects file)."""
        return self.run.reader

    def __iter__(self) -> Iterator[Encoded | RowError]:
        reader = self.run.reader
        try:
            if not self._parallel():
                yield from self._in_order(reader.rows())
            elif isinstance(reader, SplittableReader):
                yield from self._on_every_core(reader)
            else:
                yield from self._rows_on_every_core(reader)
        except ExportUnreadable as exc:
            yield self.run.unreadable(exc)
        except (OSError, ImportWorkerLost):
            raise
        except Exception as exc:  # noqa: BLE001 - the rows before it are kept
            yield self.run.unreadable(adapter_failed(self.run.adapter, exc))

    def _parallel(self) -> bool:
        stream = self.run.source
        if self.jobs < 2 or "fork" not in get_all_start_methods() or not stream.seekable():
            return False
        position = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(position)
        return size >= PARALLEL_FROM

    def _in_order(self, rows: Iterable[Row | RowError]) -> Iterator[Encoded | RowError]:
        rows = iter(rows)
        maker = self.run.maker
        while True:
            # A refused row ends the batch: its raw row (for the rejects file) need only
            # last until the next row is read.
            result = _encode_rows(islice(rows, _BATCH_ROWS), maker, self.encoders,
                                  until_refused=True)
            if not result.rows and result.stopped is None:
                return
            yield from self._collect(result)

    def _on_every_core(self, reader: SplittableReader) -> Iterator[Encoded | RowError]:
        global _WORK
        chunks = reader.chunks(CHUNK_BYTES)
        rest: Chunk | None = None
        _WORK = _Work(reader, self.run.maker, self.encoders)
        # Frozen objects are left out of the collector's passes, which would otherwise
        # write to every inherited page and so copy the parent's heap into each worker.
        gc.freeze()
        # The executor, unlike multiprocessing.Pool, notices a worker that dies (killed,
        # out of memory) and fails the chunks in flight instead of waiting for them forever.
        pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"))
        try:
            window: deque[Future[_Encodings]] = deque()
            for chunk in chunks:
                if chunk.data is None:
                    rest = chunk
                    break
                window.append(_submit(pool, _work, chunk))
                gc.unfreeze()  # the workers are forked at the first submission
                if len(window) > self.jobs:
                    yield from self._collect(_result(window.popleft()))
            while window:
                yield from self._collect(_result(window.popleft()))
        finally:
            pool.shutdown(cancel_futures=True)
            gc.unfreeze()
            _WORK = None
        source = self.run.source
        if rest is not None:
            yield from self._in_order(reader.resume(rest.first_line, source).rows())
        if not self.summary.rows:
            # Nothing but blank lines: the reader says so as it does in order.
            source.seek(0)
            yield from self._in_order(self.run.adapter.open(source, self.run.file).rows())

    def _rows_on_every_core(self, reader: ExportReader) -> Iterator[Encoded | RowError]:
        """Rows read here, made into notices by the workers a batch at a time; a refused
        row gets back the copy of its record kept here. A file found unreadable part-way
        ends the import after the rows before it, as in order."""
        global _WORK
        keep = reader.keep_raw if isinstance(reader, RawKeeper) else _as_is
        rows = iter(reader.rows())
        _WORK = _Work(None, self.run.maker, self.encoders)
        gc.freeze()
        pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"))
        stopped: ExportUnreadable | None = None
        try:
            window: deque[tuple[Future[_Encodings], list[Any]]] = deque()
            while stopped is None:
                batch, raws, stopped = _detached(rows, keep, self.run.adapter)
                if not batch:
                    break
                window.append((_submit(pool, _work_rows, batch), raws))
                gc.unfreeze()  # the workers are forked at the first submission
                if len(window) > self.jobs:
                    yield from self._collect(_reattached(*window.popleft()))
            while window:
                yield from self._collect(_reattached(*window.popleft()))
        finally:
            pool.shutdown(cancel_futures=True)
            gc.unfreeze()
            _WORK = None
        if stopped is not None:
            raise stopped

    def _collect(self, result: _Encodings) -> Iterator[Encoded | RowError]:
        """A batch's results in row order, repeats dropped, counted in the summary; then
        the file's end if it was found unreadable after them."""
        if result.rows:
            yield from self._collected(result)
        if result.stopped is not None:
            raise result.stopped

    def _collected(self, result: _Encodings) -> Iterator[Encoded | RowError]:
        tally = self.run.tally
        fresh = tally.fresh(result.digests)
        if not result.others and all(fresh):
            tally.summary.rows += result.rows
            tally.summary.notices += len(fresh)
            yield Encoded(tuple(b"".join(p) for p in result.payloads), len(fresh))
            return
        # Rows are told apart by their place in the batch: several records may start on one
        # line (an XML export written on a single line).
        row_of, line_of, count = result.row_of, result.line_of, len(result.row_of)
        index = 0

        def row_notices(position: int, line: int, warnings: tuple[RowError, ...]) -> Encoded:
            nonlocal index
            start = index
            while index < count and row_of[index] == position:
                index += 1
            kept = [i for i in range(start, index) if fresh[i]]
            return Encoded(tuple(b"".join(p[i] for i in kept) for p in result.payloads),
                           len(kept), tally.taken(line, len(kept), warnings))

        for position, line, other in result.others:
            while index < count and row_of[index] < position:
                yield row_notices(row_of[index], line_of[index], ())
            if isinstance(other, Refusal):
                yield tally.refused(other)
            else:
                yield row_notices(position, line, other)
        while index < count:
            yield row_notices(row_of[index], line_of[index], ())


_WORKER_LOST = ("an import worker process ended abruptly (killed, or out of memory?); "
                "loading the file again is safe: notice ids come from content")


def _submit(pool: ProcessPoolExecutor, work: Callable[[Any], _Encodings], job: Any
            ) -> Future[_Encodings]:
    """``pool.submit``; a pool a dead worker broke is :class:`ImportWorkerLost`."""
    try:
        return pool.submit(work, job)
    except BrokenProcessPool:
        raise ImportWorkerLost(_WORKER_LOST) from None


def _result(future: Future[_Encodings]) -> _Encodings:
    try:
        return future.result()
    except BrokenProcessPool:
        raise ImportWorkerLost(_WORKER_LOST) from None


def _as_is(raw: Any) -> Any:
    return raw


def _detached(rows: Iterator[Row | RowError], keep: Callable[[Any], Any], adapter: Adapter
              ) -> tuple[list[Row | RowError], list[Any], ExportUnreadable | None]:
    """The next batch of rows without their raw records (for a worker), the records kept
    (``keep``) in a list beside them, and the end of the file if it was found unreadable
    (or its adapter's reader failed: the rows before still count)."""
    batch: list[Row | RowError] = []
    raws: list[Any] = []
    try:
        for item in islice(rows, _BATCH_ROWS):
            raws.append(None if item.raw is None else keep(item.raw))
            batch.append(item._replace(raw=None) if isinstance(item, Row)
                         else dataclasses.replace(item, raw=None))
    except ExportUnreadable as exc:
        return batch, raws, exc
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - as in _encode_rows
        return batch, raws, adapter_failed(adapter, exc)
    return batch, raws, None


def _reattached(future: Future[_Encodings], raws: list[Any]) -> _Encodings:
    """A batch's results with each refused row's record put back."""
    result = _result(future)
    others = [(position, line, Refusal(dataclasses.replace(other.error,
                                                            raw=raws[position - 1]),
                                       other.rules) if isinstance(other, Refusal) else other)
              for position, line, other in result.others]
    return result._replace(others=others)


class _Encodings(NamedTuple):
    """A batch's notices (digest, row and encodings of each) and its other rows: refused
    ones, and taken ones with warnings or without notices. A row is known by its place in
    the batch (``row_of``, the first of ``others``) and its line (``line_of``, the second)."""

    rows: int
    digests: array[int]
    row_of: array[int]
    line_of: array[int]
    payloads: tuple[list[bytes], ...]
    others: list[tuple[int, int, Refusal | tuple[RowError, ...]]]
    #: The file found unreadable after these rows: the import ends once they are in.
    stopped: ExportUnreadable | None = None


def _encode_rows(rows: Iterable[Row | RowError], maker: NoticeMaker,
                 encoders: tuple[Encoder, ...], *, until_refused: bool = False) -> _Encodings:
    """Rows made into notices and encoded, before the repeat check; with
    ``until_refused``, up to the first refused row."""
    make = maker.make
    digests, row_of, line_of = array("Q"), array("Q"), array("Q")
    payloads: tuple[list[bytes], ...] = tuple([] for _ in encoders)
    others: list[tuple[int, int, Refusal | tuple[RowError, ...]]] = []
    read = 0
    stopped: ExportUnreadable | None = None
    try:
        for item in rows:
            read += 1
            made = make(item)
            if isinstance(made, Refusal):
                others.append((read, made.error.row or 0, made))
                if until_refused:
                    break
                continue
            number = made.row.number
            if made.warnings or not made.notices:
                others.append((read, number, made.warnings))
            for notice, document in zip(made.notices, made.documents, strict=True):
                digests.append(digest_of(notice.notice_id))
                row_of.append(read)
                line_of.append(number)
                for encode, out in zip(encoders, payloads, strict=True):
                    out.append(encode(notice, document))
    except ExportUnreadable as exc:
        # Raised by the reader before it gave another row: the rows so far still count.
        stopped = exc
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - an adapter's reader at fault, as above
        stopped = adapter_failed(maker.adapter, exc)
    return _Encodings(read, digests, row_of, line_of, payloads, others, stopped)


class _Work(NamedTuple):
    """What the workers inherit (no reader when they are sent rows)."""

    reader: SplittableReader | None
    maker: NoticeMaker
    encoders: tuple[Encoder, ...]


_WORK: _Work | None = None


def _work(chunk: Chunk) -> _Encodings:
    """In a worker: one chunk's rows made into notices and encoded."""
    work = _WORK
    assert work is not None and work.reader is not None and chunk.data is not None
    rows = work.reader.resume(chunk.first_line, io.BytesIO(chunk.data)).rows()
    return _encode_rows(rows, work.maker, work.encoders)


def _work_rows(rows: list[Row | RowError]) -> _Encodings:
    """In a worker: a batch of rows read by the parent made into notices and encoded."""
    work = _WORK
    assert work is not None
    return _encode_rows(rows, work.maker, work.encoders)

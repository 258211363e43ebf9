"""Where ``yipanqi import`` puts its notices: a JSON Lines or XML file, and a gateway.

- JSON (``--to json``, the default): JSON Lines, one DepartmentNotice document a line.
- XML (``--to xml``): ``<notices>`` holding one ``DepartmentNotice`` element a notice, each
  declaring the standard's namespace, so each is a document the published XSD accepts.
- ``--submit URL``: ``POST {URL}/api/v1/notices`` with ``{"notices": [...]}``, up to
  :data:`SUBMIT_BATCH` notices a request, with the node's operator token when one is given.

Each output has an ``encode`` function (notice and JSON document → bytes ending in a line
feed), which may run in a worker process, and ``write``, which takes what it made.
"""

from __future__ import annotations

from typing import BinaryIO

import httpx
from lxml import etree

from gateway.errors import GatewayError
from schema.models.v2 import DepartmentNotice
from schema.xmlcodec import to_element

SUBMIT_BATCH = 500
SUBMIT_PATH = "/api/v1/notices"


class SubmitFailed(GatewayError, ConnectionError):
    """The gateway could not be reached, or refused the notices."""

    code = "submit-failed"


def encode_json_line(notice: DepartmentNotice, document: bytes) -> bytes:
    """The notice's JSON document on one line (JSON escapes every line feed in a string)."""
    return document + b"\n"


def encode_xml_element(notice: DepartmentNotice, document: bytes) -> bytes:
    """The notice as a ``DepartmentNotice`` element declaring the standard's namespace."""
    return etree.tostring(to_element(notice), encoding="UTF-8") + b"\n"


class JsonLinesWriter:
    """One compact JSON document a line."""

    encode = staticmethod(encode_json_line)

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, payload: bytes) -> None:
        """Write notices encoded by :attr:`encode`."""
        self.stream.write(payload)

    def close(self) -> None:
        self.stream.flush()


class XmlNoticesWriter:
    """``<notices>`` with one namespaced ``DepartmentNotice`` element a notice."""

    encode = staticmethod(encode_xml_element)

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<notices>\n')

    def write(self, payload: bytes) -> None:
        """Write notices encoded by :attr:`encode`."""
        self.stream.write(payload)

    def close(self) -> None:
        self.stream.write(b"</notices>\n")
        self.stream.flush()


class Submitter:
    """Posts notices to a gateway in batches; :class:`SubmitFailed` when it cannot."""

    encode = staticmethod(encode_json_line)

    def __init__(self, url: str, client: httpx.Client | None = None,
                 token: str | None = None) -> None:
        self.url = url.rstrip("/") + SUBMIT_PATH
        self.client = client or httpx.Client(timeout=30.0)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.pending: list[bytes] = []
        self.submitted = 0

    def write(self, payload: bytes) -> None:
        """Queue notices encoded by :attr:`encode` (JSON documents, a line each)."""
        lines = payload.split(b"\n")
        lines.pop()  # the payload ends with a line feed
        for line in lines:
            self.pending.append(line)
            if len(self.pending) >= SUBMIT_BATCH:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        body = b'{"notices":[' + b",".join(self.pending) + b"]}"
        try:
            response = self.client.post(self.url, content=body, headers=self.headers)
        except httpx.HTTPError as exc:
            raise SubmitFailed(f"cannot reach the gateway at {self.url}: "
                               f"{type(exc).__name__}: {str(exc).rstrip('.')}") from None
        if not response.is_success:
            raise SubmitFailed(f"the gateway at {self.url} refused the notices: HTTP "
                               f"{response.status_code} {response.text[:200]}")
        self.submitted += len(self.pending)
        self.pending.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.client.close()

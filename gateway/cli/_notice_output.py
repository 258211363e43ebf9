"""Where ``yipanqi import`` puts its notices: a JSON Lines or XML file, and a gateway.

- JSON (``--to json``, the default): JSON Lines, one DepartmentNotice document a line.
- XML (``--to xml``): ``<notices>`` holding one ``DepartmentNotice`` element a notice, each
  declaring the standard's namespace, so each is a document the published XSD accepts.
- ``--submit URL``: ``POST {URL}/api/v1/notices`` with ``{"notices": [...]}``, up to
  :data:`SUBMIT_BATCH` notices a request, with the node's operator token when one is given.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import httpx
from lxml import etree

from gateway.errors import GatewayError
from schema.jsoncodec import to_json_object
from schema.models.v2 import DepartmentNotice
from schema.xmlcodec import to_element

SUBMIT_BATCH = 500
SUBMIT_PATH = "/api/v1/notices"
_JSON_HEAD = b'{"type":"DepartmentNotice","schemaVersion":"2",'


class SubmitFailed(GatewayError, ConnectionError):
    """The gateway could not be reached, or refused the notices."""

    code = "submit-failed"


class JsonLinesWriter:
    """One compact JSON document a line."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, notice: DepartmentNotice) -> None:
        body = notice.__pydantic_serializer__.to_json(notice, exclude_none=True, by_alias=True)
        self.stream.write(_JSON_HEAD + body[1:] + b"\n")

    def close(self) -> None:
        self.stream.flush()


class XmlNoticesWriter:
    """``<notices>`` with one namespaced ``DepartmentNotice`` element a notice."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<notices>\n')

    def write(self, notice: DepartmentNotice) -> None:
        self.stream.write(etree.tostring(to_element(notice), encoding="UTF-8") + b"\n")

    def close(self) -> None:
        self.stream.write(b"</notices>\n")
        self.stream.flush()


class Submitter:
    """Posts notices to a gateway in batches; :class:`SubmitFailed` when it cannot."""

    def __init__(self, url: str, client: httpx.Client | None = None,
                 token: str | None = None) -> None:
        self.url = url.rstrip("/") + SUBMIT_PATH
        self.client = client or httpx.Client(timeout=30.0)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.pending: list[dict[str, object]] = []
        self.submitted = 0

    def write(self, notice: DepartmentNotice) -> None:
        self.pending.append(to_json_object(notice))
        if len(self.pending) >= SUBMIT_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        body = json.dumps({"notices": self.pending}, ensure_ascii=False).encode()
        try:
            response = self.client.post(self.url, content=body, headers=self.headers)
        except httpx.HTTPError as exc:
            raise SubmitFailed(f"cannot reach the gateway at {self.url}: "
                               f"{type(exc).__name__}: {exc}") from None
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

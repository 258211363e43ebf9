"""Hostile input at a real gateway: a 4xx with a clear reason, nothing stored, never 500."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from sqlalchemy import func, select

from gateway.demo import OPERATOR_TOKEN, NodeProcess, free_port
from gateway.store import messages
from tests.gateway._support import FIXTURES
from tests.gateway.e2e._cluster import count

pytestmark = pytest.mark.slow
HOSTILE = sorted((FIXTURES / "documents" / "hostile").iterdir())
ENVELOPE = (FIXTURES / "envelopes" / "change-report.xml").read_bytes()
JWS = (FIXTURES / "envelopes" / "change-report.json").read_bytes()


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    process = NodeProcess("410000-RKJS", free_port(), root / "node", {
        "YIPANQI_MAX_BODY_BYTES": str(256 * 1024), "YIPANQI_BODY_TIMEOUT": "1",
        "YIPANQI_OUTBOX__ENABLED": "false",
        "YIPANQI_DATABASE_URL": f"sqlite:///{root / 'g.db'}"})
    process.start(root / "node.log")
    process.wait_ready()
    yield process
    process.stop()


def _attacks() -> list[tuple[str, bytes, str]]:
    cases = []
    for path in HOSTILE:
        for media in ("application/xml", "application/jose+json"):
            cases.append((f"{path.name}-{media.split('/')[1]}", path.read_bytes(), media))
    cases += [
        ("garbage", bytes(range(256)) * 10, "application/xml"),
        ("tampered-xml", ENVELOPE.replace(b"M-410100-0001", b"M-410100-9999"),
         "application/xml"),
        ("tampered-jws", JWS[:-20] + b"AAAA" + JWS[-16:], "application/jose+json"),
        ("second-body", ENVELOPE.replace(b"</Body>", b"</Body><Body/>", 1), "application/xml"),
        ("oversized", b"<" + b"a" * (300 * 1024), "application/xml"),
        ("json-bomb", b"[" * 100000 + b"]" * 100000, "application/jose+json"),
        ("wrong-media", ENVELOPE, "text/plain"),
        ("no-media", ENVELOPE, ""),
    ]
    return cases


@pytest.mark.parametrize(("body", "media"), [(b, m) for _, b, m in _attacks()],
                         ids=[name for name, _, _ in _attacks()])
def test_attack_is_refused_with_a_reason(node, body, media):
    headers = {"Content-Type": media} if media else {}
    response = httpx.post(f"{node.url}/api/v1/messages", content=body, headers=headers,
                          timeout=30)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"] and response.json()["message"]
    assert count(node, select(func.count()).select_from(messages)) == 0


@pytest.mark.parametrize(("path", "media"), [
    (b"/api/v1/messages", b"application/xml"),
    (b"/api/v1/notices", b"application/json"),
    (b"/api/v1/pending/1/resolve", b"application/json")])
def test_a_slow_body_times_out(node, path, media):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        sock.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer " + OPERATOR_TOKEN.encode() + b"\r\n"
                     b"Content-Type: " + media + b"\r\nContent-Length: 5000\r\n\r\n<Env")
        started = time.monotonic()
        sock.settimeout(10)
        answer = sock.recv(4096)
        while b"body-timeout" not in answer and (more := sock.recv(4096)):
            answer += more  # the body may follow the headers in a segment of its own
    assert answer.startswith(b"HTTP/1.1 408") and b"body-timeout" in answer
    assert time.monotonic() - started < 5


def test_a_lying_content_length_is_refused(node):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        sock.sendall(b"POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/xml\r\nContent-Length: 99999999\r\n\r\n")
        sock.settimeout(10)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")

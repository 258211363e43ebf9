"""Run real gateway nodes as subprocesses on loopback (demo, end-to-end tests, benchmark)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from gateway.settings import FIXTURES

CONFIGS = FIXTURES / "gateway"
OPERATOR_TOKEN = "demo-operator-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class NodeProcess:
    """One ``yipanqi serve`` process with its own data directory."""

    node_id: str
    port: int
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path | None = None) -> None:
        env = {**os.environ, **self.env, "YIPANQI_NODE_ID": self.node_id,
               "YIPANQI_PORT": str(self.port), "YIPANQI_DATA_DIR": str(self.data_dir),
               "YIPANQI_OPERATOR_TOKEN": OPERATOR_TOKEN}
        if log is None:
            self.process = subprocess.Popen(self.command, env=env, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
            return
        with open(log, "ab") as out:
            self.process = subprocess.Popen(self.command, env=env, stdout=out, stderr=out)

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-c", "from gateway.cli import main; main()", "serve"]

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.node_id} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.node_id} not ready after {timeout} s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def cluster(root: Path, node_ids: list[str], extra_env: dict[str, str] | None = None
            ) -> list[NodeProcess]:
    """Nodes on free ports that know each other's endpoints (not started yet)."""
    ports = {node_id: free_port() for node_id in node_ids}
    endpoints = json.dumps({n: f"http://127.0.0.1:{p}" for n, p in ports.items()})
    env = {"YIPANQI_ENDPOINTS": endpoints, "YIPANQI_OUTBOX__POLL_INTERVAL": "0.05",
           "YIPANQI_OUTBOX__BASE_DELAY": "0.2", "YIPANQI_LOG_LEVEL": "warning",
           **(extra_env or {})}
    return [NodeProcess(n, ports[n], root / n, dict(env)) for n in node_ids]

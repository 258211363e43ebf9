"""``yipanqi demo``, the README's main job, as a process: three nodes exchange the fixture
batches, then the department samples are docked at Zhengzhou, and a record the province
sends on request docks the registration that waited for it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_demo_exchanges_and_docks(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()", "demo"],
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Traceback" not in out + done.stderr
    assert re.search(r"Zhoukou-registered migrants' reports at 411600-RKJS: [1-9]", out)
    assert "the province's records of the samples' people it lacked: 8" in out
    for department in ("ga", "mz", "ws", "rs", "jy", "gs", "fg"):
        assert re.search(rf"^  {department}: rows read 读取 \d+, notices made 生成通报 [1-9]",
                         out, re.MULTILINE), department
    # 杨军's registration waited for his record: the province sends it, Zhengzhou docks it
    assert ("the province's records asked for (协查): 1; pending items they let 410100-RKJS "
            "dock by itself: 1") in out
    # the police sample: 8 notices, 7 matched (杨军's after the record came), 何晓燕's opened
    assert re.search(r"│ GA\s+│ 8\s+│ 7\s+│ 1\s+│ 0\s+│", out)
    assert "2 notices wait at 410100-RKJS as pending items to verify" in out
    assert re.search(r"done in [\d.]+ s", out)

"""Demo material: reports about distinct people, signing as a demo node, local clusters,
docking the department samples.

Test-only: the keys come from ``fixtures/keys`` and are public.
"""

from gateway.demo._docking import (
    ASKED_FOR,
    SAMPLES,
    Loaded,
    docked,
    load_sample,
    resolved_items,
    resolved_since,
    send_lacking_records,
)
from gateway.demo._nodes import OPERATOR_TOKEN, NodeProcess, cluster, free_port
from gateway.demo._reports import make_batch, make_report, make_reports
from gateway.demo._sign import demo_key, signed_message

__all__ = [
    "ASKED_FOR",
    "Loaded",
    "NodeProcess",
    "OPERATOR_TOKEN",
    "SAMPLES",
    "cluster",
    "demo_key",
    "docked",
    "free_port",
    "load_sample",
    "make_batch",
    "make_report",
    "make_reports",
    "resolved_items",
    "resolved_since",
    "send_lacking_records",
    "signed_message",
]

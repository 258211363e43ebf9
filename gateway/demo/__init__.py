"""Demo material: reports about distinct people, signing as a demo node, local clusters.

Test-only: the keys come from ``fixtures/keys`` and are public.
"""

from gateway.demo._nodes import OPERATOR_TOKEN, NodeProcess, cluster, free_port
from gateway.demo._reports import make_batch, make_report, make_reports
from gateway.demo._sign import demo_key, signed_message

__all__ = [
    "NodeProcess",
    "OPERATOR_TOKEN",
    "cluster",
    "demo_key",
    "free_port",
    "make_batch",
    "make_report",
    "make_reports",
    "signed_message",
]

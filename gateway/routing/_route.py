"""Where an accepted change report goes next, and in which version (DESIGN §2, §5).

Rules come from the settings (:class:`~gateway.settings.RouteRule`): by default a report
submitted by the node's own clerks goes to the registration place (户籍地) of the person
and to the province. A destination receives only what the directory lets this node send
it; each gets the highest schema version it accepts, converted down when it must be, and
what the conversion dropped is reported back to the sender in the receipt.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gateway.node import NodeIdentity
from gateway.settings import RouteRule
from schema.codes import SchemaVersion
from schema.convert import convert
from schema.jsoncodec import dumps_json
from schema.models._base import StandardModel

REGISTRATION_PLACE = "registration-place"


@dataclass(frozen=True, slots=True)
class Routed:
    """One message for the outbox."""

    message_id: str
    destination: str
    message_type: str
    schema_version: str
    document: bytes
    lost: tuple[str, ...]


def registration_node(hukou_region: str) -> str:
    """The commission of the city of a hukou region: ``411622`` → ``411600-RKJS``."""
    return f"{hukou_region[:4]}00-RKJS"


def _applies(rule: RouteRule, sender: str, node_id: str) -> bool:
    return any(s == "*" or s == sender or (s == "self" and sender == node_id)
               for s in rule.senders)


def destinations(rules: Sequence[RouteRule], identity: NodeIdentity, sender: str,
                 hukou_region: str) -> list[str]:
    """The nodes one report of ``sender`` about a person of ``hukou_region`` goes to."""
    found: list[str] = []
    for rule in rules:
        if not _applies(rule, sender, identity.node_id):
            continue
        target = registration_node(hukou_region) if rule.to == REGISTRATION_PLACE else rule.to
        if target not in (identity.node_id, sender) and target not in found \
                and identity.node(target) is not None:
            found.append(target)
    return found


def _version_for(identity: NodeIdentity, destination: str,
                 version: SchemaVersion) -> SchemaVersion | None:
    accepted = identity.versions(destination)
    if version in accepted:
        return version
    lower = [v for v in accepted if v.value < version.value]
    return max(lower, key=lambda v: v.value) if lower else None


_PREFIX = '{{"type":"ChangeReport","schemaVersion":"{}",'


def _body(document: bytes, version: str) -> bytes:
    """A report's JSON without its type and schemaVersion (to stand in a batch)."""
    return b"{" + document[len(_PREFIX.format(version)):]


def _message_id(node_id: str) -> str:
    return f"{node_id}:{uuid.uuid4().hex}"


@dataclass(frozen=True)
class RouteInput:
    """The parts of an accepted message routing needs."""

    sender: str
    version: SchemaVersion
    reports: Sequence[Any]  # ReportIn, aligned with models
    models: Sequence[StandardModel]
    batch: StandardModel | None


def _converted(model: StandardModel, target: SchemaVersion,
               prefix: str) -> tuple[bytes, list[str]]:
    conversion = convert(model, target, allow_loss=True)
    lost = [f"{prefix}.{p}" if prefix else p for p in conversion.lost]
    return dumps_json(conversion.document, indent=None), lost


def _batch_document(source: RouteInput, picked: list[int], target: SchemaVersion,
                    destination: str) -> tuple[bytes, list[str]]:
    lost: list[str] = []
    bodies: list[bytes] = []
    for index in picked:
        if target is source.version:
            bodies.append(_body(source.reports[index].document, target.value))
        else:
            document, dropped = _converted(source.models[index], target, f"reports[{index}]")
            lost += dropped
            bodies.append(_body(document, target.value))
    first = source.models[picked[0]]
    unit = first.reporting_unit.model_dump(mode="json")  # type: ignore[attr-defined]
    period = (source.batch.period if source.batch is not None  # type: ignore[attr-defined]
              else source.reports[picked[0]].reported_at[:7])
    batch_id = "F-" + hashlib.sha256(
        (source.reports[picked[0]].report_id + destination).encode()).hexdigest()[:40]
    head = json.dumps({"type": "ChangeReportBatch", "schemaVersion": target.value,
                       "batchId": batch_id, "period": period, "reportingUnit": unit,
                       "reportCount": len(picked)}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    return head[:-1] + b',"reports":[' + b",".join(bodies) + b"]}", lost


def route(source: RouteInput, rules: Sequence[RouteRule],
          identity: NodeIdentity) -> list[Routed]:
    """The outbox messages for the newly stored reports of one accepted message."""
    picked: dict[str, list[int]] = defaultdict(list)
    for index, report in enumerate(source.reports):
        for destination in destinations(rules, identity, source.sender, report.hukou_region):
            picked[destination].append(index)
    routed: list[Routed] = []
    keys = identity.keys
    for destination, indexes in picked.items():
        target = _version_for(identity, destination, source.version)
        if target is None:
            continue
        if len(indexes) > 1 and keys.may_send(identity.node_id, destination,
                                              "ChangeReportBatch"):
            document, lost = _batch_document(source, indexes, target, destination)
            routed.append(Routed(_message_id(identity.node_id), destination,
                                 "ChangeReportBatch", target.value, document, tuple(lost)))
            continue
        if not keys.may_send(identity.node_id, destination, "ChangeReport"):
            continue
        for index in indexes:
            if target is source.version:
                document, lost = source.reports[index].document, []
            else:
                prefix = f"reports[{index}]" if source.batch is not None else ""
                document, lost = _converted(source.models[index], target, prefix)
            routed.append(Routed(_message_id(identity.node_id), destination, "ChangeReport",
                                 target.value, document, tuple(lost)))
    return routed

"""Demo material: test-only keys for four Henan nodes and a signed directory listing them.

Never use these keys for anything real: they are published in the repository.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gateway.crypto import (
    PrivateKey,
    SignatureAlgorithm,
    SigningKey,
    generate_private_key,
    load_private_key,
    public_key_pem,
    write_key_pair,
)
from gateway.trust._directory import sign_directory
from gateway.trust._model import Directory, DirectoryKey, DirectoryNode, NodeRole, Permission
from schema.codes import SchemaVersion

CST = dt.timezone(dt.timedelta(hours=8))
ROOT_KID = "410000-RKJS-root"
_EPOCH = dt.datetime(2009, 1, 1, tzinfo=CST)
_ROTATION = dt.datetime(2010, 1, 1, tzinfo=CST)
_FAR = dt.datetime(2036, 1, 1, tzinfo=CST)
ES256, EDDSA, RS256 = SignatureAlgorithm.ES256, SignatureAlgorithm.EDDSA, SignatureAlgorithm.RS256


@dataclass(frozen=True)
class DemoKey:
    kid: str
    alg: SignatureAlgorithm
    not_before: dt.datetime = _ROTATION
    not_after: dt.datetime = _FAR
    revoked: bool = False


@dataclass(frozen=True)
class DemoNode:
    id: str
    name: str
    role: NodeRole
    port: int
    versions: tuple[str, ...]
    keys: tuple[DemoKey, ...]


DEMO_NODES = [
    DemoNode("410000-RKJS", "河南省人口和计划生育委员会", NodeRole.PROVINCE, 8410, ("1", "2"),
             (DemoKey("410000-RKJS-2010", ES256),)),
    DemoNode("410100-RKJS", "郑州市人口和计划生育委员会", NodeRole.CITY, 8411, ("1", "2"),
             (DemoKey("410100-RKJS-2009", ES256, _EPOCH, _ROTATION),  # rotated out 2010-01-01
              DemoKey("410100-RKJS-2010", ES256))),
    DemoNode("411600-RKJS", "周口市人口和计划生育委员会", NodeRole.CITY, 8416, ("1", "2"),
             (DemoKey("411600-RKJS-2009", ES256, _EPOCH, _FAR, revoked=True),  # leaked
              DemoKey("411600-RKJS-2010", RS256))),
    DemoNode("410100-GA", "郑州市公安局", NodeRole.DEPARTMENT, 8412, ("2",),
             (DemoKey("410100-GA-2010", ES256), DemoKey("410100-GA-2010-ed25519", EDDSA))),
]

_REPORTS = ["ChangeReport", "ChangeReportBatch"]
_RECORDS = ["ChangeReport", "PersonRecord"]
DEMO_PERMISSIONS = [
    ("410100-RKJS", "410000-RKJS", _REPORTS),
    ("411600-RKJS", "410000-RKJS", _REPORTS),
    ("410100-RKJS", "411600-RKJS", _RECORDS),  # residence place <-> registration place
    ("411600-RKJS", "410100-RKJS", _RECORDS),
    ("410000-RKJS", "410100-RKJS", [*_RECORDS, "ChangeReportBatch"]),
    ("410000-RKJS", "411600-RKJS", [*_RECORDS, "ChangeReportBatch"]),
    ("410100-GA", "410100-RKJS", ["DepartmentNotice"]),  # a department cannot write reports
]
RECEIPT = "Receipt"


def demo_permissions() -> list[Permission]:
    """Every route of the demo directory, spelled out (nothing is implied by a node):

    - the routes above;
    - local submission: each node to itself, the types it may send anyone (its own
      clerks submit what the node then passes on);
    - ``Receipt`` back along every route, local ones included (the answer travels the
      reverse route).
    """
    routes = [(s, r, list(types)) for s, r, types in DEMO_PERMISSIONS]
    for node in DEMO_NODES:
        own = sorted({t for s, _, types in DEMO_PERMISSIONS if s == node.id for t in types})
        if own:
            routes.append((node.id, node.id, own))
    receipts = [(r, s, [RECEIPT]) for s, r, _ in routes]
    return [Permission(sender=s, recipient=r, message_types=types)
            for s, r, types in routes + receipts]

README = """# Demo keys — TEST ONLY

These private keys are published in the repository. They exist so the tests, the demo
directory (`fixtures/directory.json`) and the documentation have real signatures to
check. **Never use them for real messages**; anyone can forge with them.

- `410000-RKJS-root` signs the trust directory (the province's root key);
- `410000-RKJS-2010` province; `410100-RKJS-2010` Zhengzhou (and `-2009`, rotated out on
  2010-01-01); `411600-RKJS-2010` Zhoukou (RSA; `-2009` is revoked); `410100-GA-2010`
  Zhengzhou police (and an Ed25519 key for JSON envelopes).

Regenerate the keys and the directory, then the sample envelopes that use them:

    yipanqi directory demo --out fixtures
    sh fixtures/envelopes/regenerate.sh
"""


def _node(node: DemoNode, keys: dict[str, PrivateKey]) -> DirectoryNode:
    entries = [DirectoryKey(kid=k.kid, alg=k.alg,
                            public_key=public_key_pem(keys[k.kid].public_key()).decode(),
                            not_before=k.not_before, not_after=k.not_after, revoked=k.revoked)
               for k in node.keys]
    return DirectoryNode(id=node.id, name=node.name, role=node.role,
                         endpoint=f"http://127.0.0.1:{node.port}",
                         accepted_schema_versions=[SchemaVersion(v) for v in node.versions],
                         keys=entries)


def demo_directory(keys: dict[str, PrivateKey]) -> Directory:
    """The demo directory for the given private keys (one per demo kid)."""
    return Directory(serial=2, issued_at=dt.datetime(2010, 1, 1, tzinfo=CST),
                     issuer="410000-RKJS", nodes=[_node(n, keys) for n in DEMO_NODES],
                     permissions=demo_permissions())


def _existing(keys_dir: Path, kids: list[str]) -> dict[str, PrivateKey] | None:
    paths = [keys_dir / f"{kid}.key.pem" for kid in kids]
    if not all(path.is_file() for path in paths):
        return None
    return {kid: load_private_key(path.read_bytes()) for kid, path in zip(kids, paths,
                                                                           strict=True)}


def write_demo(out: Path, *, new_keys: bool = False) -> Path:
    """Write ``out/directory.json`` (and ``out/keys/``: pairs + README); return the former.

    The keys already in ``out/keys`` are kept (every fixture signed with them stays valid);
    they are generated when missing, or all anew with ``new_keys``.
    """
    keys_dir = out / "keys"
    all_keys = [DemoKey(ROOT_KID, ES256)] + [k for node in DEMO_NODES for k in node.keys]
    private = None if new_keys else _existing(keys_dir, [k.kid for k in all_keys])
    if private is None:
        private = {k.kid: generate_private_key(k.alg) for k in all_keys}
        for kid, key in private.items():
            write_key_pair(keys_dir, kid, key, overwrite=True)
        (keys_dir / "README.md").write_text(README, encoding="utf-8")
    root = SigningKey(ROOT_KID, ES256, private[ROOT_KID])
    directory_path = out / "directory.json"
    directory_path.write_bytes(sign_directory(demo_directory(private), root))
    return directory_path

"""The trust directory: who the nodes are, their keys, and who may send what to whom."""

from gateway.trust._directory import (
    DIRECTORY_TYP,
    TrustDirectory,
    directory_json,
    load_directory,
    parse_directory,
    sign_directory,
)
from gateway.trust._model import Directory, DirectoryKey, DirectoryNode, NodeRole, Permission

__all__ = [
    "DIRECTORY_TYP",
    "Directory",
    "DirectoryKey",
    "DirectoryNode",
    "NodeRole",
    "Permission",
    "TrustDirectory",
    "directory_json",
    "load_directory",
    "parse_directory",
    "sign_directory",
]

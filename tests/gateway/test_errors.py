"""The gateway error tree: stable, distinct codes under the project's root error."""

from __future__ import annotations

import inspect

from gateway import errors
from schema.errors import YipanqiError

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass)
           if issubclass(c, YipanqiError) and c.__module__ == "gateway.errors"]


def test_codes_are_distinct():
    codes = [c.code for c in CLASSES]
    assert len(codes) == len(set(codes))


def test_reason_codes_of_the_cli():
    codes = {c.code for c in CLASSES}
    assert {"signature-invalid", "algorithm-refused", "key-unknown", "key-expired",
            "key-revoked", "not-permitted", "malformed", "signature-wrapping",
            "signature-missing"} <= codes


def test_builtin_bases():
    assert issubclass(errors.EnvelopeMalformed, ValueError)
    assert issubclass(errors.NotPermitted, PermissionError)


def test_every_class_is_in_all():
    assert {c.__name__ for c in CLASSES} <= set(errors.__all__)

"""Run the ``yipanqi`` app in-process, and insist that nothing ends in a traceback."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from gateway.cli import app, directory, keys, sign, verify  # noqa: F401  (registers the commands)


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    result = CliRunner(env=env).invoke(app, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"unhandled {result.exception!r}"
    assert "Traceback" not in result.output
    return result

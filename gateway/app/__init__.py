"""The HTTP API of a gateway node (FastAPI): messages, inbox, records, health."""

from gateway.app._factory import create_app, create_app_from_env
from gateway.app._runtime import Runtime, running, tune_gc

__all__ = ["Runtime", "create_app", "create_app_from_env", "running", "tune_gc"]

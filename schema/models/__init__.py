"""Pydantic models of the standard, one module per version."""

from schema.models import v1, v2
from schema.models._base import StandardModel

__all__ = ["StandardModel", "v1", "v2"]

"""The base of every model: wire names in lowerCamelCase, closed content, bilingual docs."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class StandardModel(BaseModel):
    """A part of a document of the standard.

    ``title`` in ``model_config`` is the Chinese name; the class docstring is the English
    description. Both end up in the XSD and JSON Schema annotations.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
    )

    #: The XML element name of each item of a list field (``children`` → ``child``).
    list_items: ClassVar[dict[str, str]] = {}


def doc(zh: str, en: str, **kwargs: Any) -> Any:
    """A field with its Chinese title and English description."""
    return Field(title=zh, description=en, **kwargs)

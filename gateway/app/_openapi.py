"""The node's OpenAPI document as the node answers: refusals are ``{error, message}``.

FastAPI documents a 422 ``HTTPValidationError`` on every route with parameters; the node
answers an invalid request with 400 ``bad-request`` instead (``_errors``), and every other
refusal in the same shape. The document says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

_REFUSAL = {
    "title": "Refusal",
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A stable code: bad-request, malformed, "
                  "unauthorised, not-found, too-large, store-unavailable, …"},
        "message": {"type": "string", "description": "What was refused, and why."},
    },
}
_REFUSED = {
    "description": "Refused (4xx) or failed (5xx): a stable code and a message",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
}


def refusal_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The ``app.openapi`` of the node: its refusals documented as they are answered."""
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                   routes=app.routes)
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    responses = operation.setdefault("responses", {})
                    responses.pop("422", None)
                    responses["default"] = _REFUSED
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            schemas["Refusal"] = _REFUSAL
            app.openapi_schema = document
        return app.openapi_schema
    return build

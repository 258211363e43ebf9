"""The exception handlers: every refusal is JSON, ``{"error": code, "message": text}``.

Routes raise; they never build error bodies. An error of the tree takes its status from its
``code`` (DESIGN §5 and the issue's list); the framework's own refusals (no route, method not
allowed, a request that breaks a route's declared parameters) and a store that cannot be
reached (503) are answered in the same shape.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.errors import EnvelopeError, TrustError
from gateway.ingest import RequestRefused
from schema.errors import DocumentError, YipanqiError

log = logging.getLogger("yipanqi.app")

STATUS = {
    "malformed": 400, "document-mismatch": 400, "unknown-document": 400, "invalid": 400,
    "algorithm-refused": 401, "signature-wrapping": 401, "signature-invalid": 401,
    "signature-missing": 401,
    "key-unknown": 401, "key-revoked": 401, "key-expired": 401, "key-not-sender": 401,
    "unauthorised": 401,
    "not-permitted": 403, "version-not-accepted": 403,
    "not-found": 404, "body-timeout": 408, "message-id-conflict": 409, "not-retryable": 409,
    "too-large": 413, "unsupported-media-type": 415, "internal-error": 500,
    "store-unavailable": 503,
}


def status_of(error: YipanqiError) -> int:
    if error.code in STATUS:
        return STATUS[error.code]
    if isinstance(error, TrustError):
        return 403
    if isinstance(error, EnvelopeError | DocumentError | RequestRefused):
        return 400
    return 500


async def _yipanqi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, YipanqiError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if exc.code == "unauthorised" else None
    log.info("refused %s %s: %d %s", request.method, request.url.path.split("/records/")[0],
             status, exc.code)
    return JSONResponse({"error": exc.code, "message": exc.message}, status_code=status,
                        headers=headers)


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}"
                         for e in exc.errors())
    return JSONResponse({"error": "bad-request", "message": problems}, status_code=400)


async def _store_unreachable(request: Request, exc: Exception) -> JSONResponse:
    """The store cannot be reached (down, refusing connections, no connection free): a
    503 the caller retries, as the writer answers messages then."""
    log.error("store unavailable for %s %s: %s", request.method,
              request.url.path.split("/records/")[0], type(exc).__name__)
    return JSONResponse({"error": "store-unavailable",
                         "message": "the store is unavailable; retry"}, status_code=503)


#: Error codes for the framework's own refusals (no route, method not allowed).
_HTTP_CODES = {404: "not-found", 405: "method-not-allowed"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """The framework's refusals in the same shape as ours."""
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http-{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404:
        message = f"no such resource: {request.method} {request.url.path[:200]}"
    return JSONResponse({"error": code, "message": message}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    app.add_exception_handler(YipanqiError, _yipanqi_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unreachable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unreachable, _store_unreachable)

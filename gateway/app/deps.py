"""Dependencies of the routes: the runtime, the operator, a partner."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.app._runtime import Runtime
from gateway.ingest import Unauthorised

_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def get_runtime(request: Request) -> Runtime:
    """Async, so that FastAPI calls it on the loop, not through the thread pool."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise Unauthorised("a bearer token is required")
    return credentials.credentials


def _same_token(token: str, secret: str) -> bool:
    """Constant-time comparison of bytes: ``compare_digest`` refuses non-ASCII text, and a
    header's bytes arrive as Latin-1 text, so any byte must compare (and fail), not raise."""
    return hmac.compare_digest(token.encode("utf-8", "surrogatepass"),
                               secret.encode("utf-8", "surrogatepass"))


def require_operator(runtime: RuntimeDep, credentials: Credentials) -> str:
    """The operator (token of the settings); 401 otherwise."""
    token = _token(credentials)
    expected = runtime.settings.operator_token
    if expected is None or not _same_token(token, expected.get_secret_value()):
        if _partner_of(runtime, token) is not None:
            raise Unauthorised("this route takes the operator token, not a partner's")
        raise Unauthorised("the operator token is not valid")
    return "operator"


def require_partner(runtime: RuntimeDep, credentials: Credentials) -> str:
    """The partner node whose token this is; 401 otherwise."""
    token = _token(credentials)
    partner = _partner_of(runtime, token)
    if partner is not None:
        return partner
    expected = runtime.settings.operator_token
    if expected is not None and _same_token(token, expected.get_secret_value()):
        raise Unauthorised("this route takes a partner node's token, not the operator's")
    raise Unauthorised("the partner token is not valid")


def _partner_of(runtime: Runtime, token: str) -> str | None:
    """The partner node whose token this is, if any (every token compared, in constant
    time each)."""
    found = None
    for node_id, secret in runtime.settings.partner_tokens.items():
        if _same_token(token, secret.get_secret_value()) and found is None:
            found = node_id
    return found


def operator_or_partner(runtime: RuntimeDep, credentials: Credentials) -> str | None:
    """None for the operator (sees everything), else the partner's node id."""
    token = _token(credentials)
    expected = runtime.settings.operator_token
    if expected is not None and _same_token(token, expected.get_secret_value()):
        return None
    return require_partner(runtime, credentials)


OperatorDep = Annotated[str, Depends(require_operator)]
PartnerDep = Annotated[str, Depends(require_partner)]
ViewerDep = Annotated[str | None, Depends(operator_or_partner)]

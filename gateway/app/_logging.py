"""Request logging with personal data masked (ID numbers never reach the logs whole)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

log = logging.getLogger("yipanqi.access")
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{12}([0-9][0-9X])(?![0-9X])")


def mask(text: str) -> str:
    """``411622198503124529`` → ``4116************29``."""
    return _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 12 + m.group(2), text)


async def access_log(request: Request,
                     call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    if log.isEnabledFor(logging.INFO):
        log.info("%s %s %d %.1fms", request.method, mask(request.url.path),
                 response.status_code, (time.perf_counter() - started) * 1000)
    return response

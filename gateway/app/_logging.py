"""Request logging with personal data masked (ID numbers never reach the logs whole)."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("yipanqi.access")
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{12}([0-9][0-9X])(?![0-9X])")


def mask(text: str) -> str:
    """``411622198503124529`` → ``4116************29``."""
    return _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 12 + m.group(2), text)


class AccessLog:
    """Pure ASGI middleware: one masked line per request at INFO, nothing when disabled."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info("%s %s %d %.1fms", scope["method"], mask(scope["path"]), status,
                     (time.perf_counter() - started) * 1000)

"""Read a request body safely: media type first, a size limit while reading, a deadline."""

from __future__ import annotations

import asyncio

from fastapi import Request

from gateway.envelope import EnvelopeFormat, detect_format
from gateway.errors import EnvelopeMalformed
from gateway.ingest import BodyTimeout, BodyTooLarge, UnsupportedMediaType

MEDIA_TYPES = {"application/xml": EnvelopeFormat.XML, "text/xml": EnvelopeFormat.XML,
               "application/jose+json": EnvelopeFormat.JSON}


def _media(request: Request) -> str:
    """The media type the Content-Type names, without its parameters."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def media_format(request: Request) -> EnvelopeFormat:
    """The envelope format the Content-Type announces; 415 for anything else."""
    media = _media(request)
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Content-Type {media or '(none)'!r}: send application/xml or application/jose+json")
    return MEDIA_TYPES[media]


async def _read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the body is {declared} bytes; at most {limit} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body, at most ``limit`` bytes within ``timeout`` seconds (413, 408)."""
    try:
        async with asyncio.timeout(timeout):
            return await _read(request, limit)
    except TimeoutError:
        raise BodyTimeout(f"the body did not arrive within {timeout:g} s") from None


async def read_json_body(request: Request, limit: int, timeout: float) -> bytes:
    """A JSON body (``application/json``, else 415), as :func:`read_body` reads it."""
    media = _media(request)
    if media != "application/json":
        raise UnsupportedMediaType(f"Content-Type {media or '(none)'!r}: send application/json")
    return await read_body(request, limit, timeout)


async def read_envelope(request: Request, limit: int, timeout: float) -> tuple[bytes,
                                                                                EnvelopeFormat]:
    """The body, checked against the announced format; 413, 408, 415 or 400 otherwise."""
    expected = media_format(request)
    body = await read_body(request, limit, timeout)
    if not body:
        raise EnvelopeMalformed("the body is empty")
    if detect_format(body[:1024]) is not expected:
        raise EnvelopeMalformed(f"the body is not {expected.value}, as Content-Type says")
    return body, expected

"""The API's error messages in the request's language. Domain code raises its messages in Chinese (the default
locale) and several routers answer `{"errors": [...]}` themselves; this middleware rewrites the `message` of each
error of a JSON error answer for a non-Chinese request, keeping `code` and `field`. Chinese requests pass through
untouched, so the default path costs nothing."""

from __future__ import annotations

import json

from cradle.web.i18n import LOCALES


class ErrorLocaleMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        locale = scope.get("state", {}).get("locale", LOCALES[0]) if scope["type"] == "http" else LOCALES[0]
        if locale == LOCALES[0]:
            return await self.app(scope, receive, send)
        start: dict | None = None
        body = bytearray()

        async def send_translated(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if message["status"] >= 400 and headers.get(b"content-type", b"").startswith(
                    b"application/json"
                ):
                    start = message  # held back until the body is complete
                    return None
            elif message["type"] == "http.response.body" and start is not None:
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return None
                out = _translated(bytes(body), locale)
                headers = list(start.get("headers") or [])
                if out != body:  # a HEAD answer (no body) keeps its length
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(out)).encode()))
                await send({**start, "headers": headers})
                return await send({"type": "http.response.body", "body": out})
            return await send(message)

        return await self.app(scope, receive, send_translated)


def _translated(body: bytes, locale: str) -> bytes:
    from cradle.web.terms import translate_errors

    try:
        doc = json.loads(body)
    except ValueError:
        return body
    if not isinstance(doc, dict) or not isinstance(doc.get("errors"), list):
        return body
    doc["errors"] = translate_errors(doc["errors"], locale)
    return json.dumps(doc, ensure_ascii=False).encode()

"""What a route's fast path (a module's `fast_path`, see `cradle.web.app`) shares: finding its route, telling
its requests from the rest, reading the request's body while keeping its messages, and handing them to the route
again when the fast path leaves the request to it."""

from __future__ import annotations

from fastapi.routing import APIRoute


def post_route(router, path: str) -> APIRoute:
    """The router's route for `POST path`, which the fast path stands in for."""
    return next(
        r for r in router.routes if isinstance(r, APIRoute) and r.path == path and "POST" in r.methods
    )


def is_post_to(scope, path: str) -> bool:
    """An HTTP `POST path` mounted at the root (anything else goes on to the app)."""
    return (
        scope["type"] == "http"
        and scope["method"] == "POST"
        and scope["path"] == path
        and not scope.get("root_path")
    )


async def read_body(receive) -> tuple[list[dict], bytes | None]:
    """(the messages received, the whole body; None when the client left before sending it all)."""
    messages, chunks = [], []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, b"".join(chunks)


def replay(messages: list[dict], receive):
    """`receive` giving `messages` again first: the request as the app would have read it."""
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed

"""What a route's fast path (a module's `fast_path`, see `cradle.web.app`) shares: reading the request's body
while keeping its messages, and handing them to the route again when the fast path leaves the request to it."""

from __future__ import annotations


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

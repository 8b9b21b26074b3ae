"""The database session a route takes: one per request, from `cradle.db.session_scope`. Here rather than in
`cradle.db`, so the batch, the CLI and the workers that read the database do not import FastAPI with it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from cradle.db import session_scope


def request_session():
    """FastAPI dependency: one session per request on the configured database, committed when the endpoint
    returns normally and rolled back when it raises."""
    with session_scope() as session:
        yield session


# scope="function": the commit runs before the response is sent. With FastAPI's default ("request") it runs
# after, so a browser following a 303 could ask for the new case before it was committed, and a failed commit
# would follow an answer that already said "saved".
RequestSession = Annotated[Session, Depends(request_session, scope="function")]

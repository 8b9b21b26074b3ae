"""What the `cradle facilities …` commands share (`cli` and `cli_desk`): a session on the configured database.
A refusal of the domain is answered by the `cradle` command's one catch (one line naming the field)."""

from __future__ import annotations

from cradle.config import get_settings
from cradle.db import session_scope


def open_session():
    return session_scope(get_settings().database_url)

"""Actor tokens until accounts exist (issue 9): an `Actor` signed with the configured secret key, sent as the
`X-Cradle-Actor` header (API) or the `cradle_actor` cookie (pages). `cradle services token` mints one."""

from __future__ import annotations

from dataclasses import asdict

from itsdangerous import BadSignature, URLSafeSerializer

from cradle.config import get_settings
from cradle.services.actors import Actor
from cradle.services.errors import Forbidden, ServiceError

HEADER = "X-Cradle-Actor"
COOKIE = "cradle_actor"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="cradle-actor")


def mint(actor: Actor) -> str:
    return _serializer().dumps(asdict(actor))


def read(token: str | None) -> Actor:
    if not token:
        raise Forbidden("actor", "请先登录（缺少身份凭证）")
    try:
        data = _serializer().loads(token)
        return Actor(**data)
    except (BadSignature, TypeError, ServiceError):
        raise Forbidden("actor", "身份凭证无效") from None

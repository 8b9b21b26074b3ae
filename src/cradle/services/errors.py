"""Errors of the service layer. Each names the field it is about, so a form or an API client can point at it."""

from __future__ import annotations


class ServiceError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message, "code": self.code}


class Invalid(ServiceError):
    pass


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class IllegalTransition(ServiceError):
    status = 409
    code = "illegal_transition"

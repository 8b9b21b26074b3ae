"""Validation errors that name the field (``rows[3].value``) and leave stored data unchanged."""

from __future__ import annotations


class MonitoringError(ValueError):
    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))

    @classmethod
    def one(cls, field: str, message: str) -> MonitoringError:
        return cls([(field, message)])

    def as_dict(self) -> dict:
        """The API's one error shape: {"errors": [{"field", "code", "message"}]}."""
        return {"errors": [{"field": f, "code": "invalid", "message": m} for f, m in self.errors]}

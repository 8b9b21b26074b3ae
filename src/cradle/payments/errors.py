"""Payments raise the service layer's field-naming errors."""

from cradle.services.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound"]

"""The property every answer of the JSON API keeps: no 5xx, no stack trace shown, and every refusal a 4xx in
the one error shape {"errors": [{"field": str | null, "code": str, "message": str}]}."""

from __future__ import annotations

import json
import re

# What a Python stack trace or an exception's repr looks like when it leaks into an answer.
TRACE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|\b\w+(Error|Exception): ")


def error_shape_problem(body: object) -> str | None:
    """None when `body` is {"errors": [...]} with each item exactly {field, code, message}; else what is wrong."""
    if not isinstance(body, dict) or set(body) != {"errors"}:
        return f"not {{'errors': [...]}}: {str(body)[:200]}"
    errors = body["errors"]
    if not isinstance(errors, list) or not errors:
        return "errors is not a non-empty list"
    for i, e in enumerate(errors):
        if not isinstance(e, dict) or set(e) != {"field", "code", "message"}:
            return f"errors[{i}] keys {sorted(e) if isinstance(e, dict) else type(e).__name__}"
        if not (e["field"] is None or isinstance(e["field"], str)):
            return f"errors[{i}].field is {type(e['field']).__name__}"
        if not (isinstance(e["code"], str) and e["code"] and isinstance(e["message"], str) and e["message"]):
            return f"errors[{i}] code/message not non-empty text"
    return None


def answer_problem(status: int, content_type: str, text: str) -> str | None:
    """None when one answer keeps the property; else a short description of the breach."""
    if status >= 500:
        return f"status {status}"
    if TRACE.search(text):
        return "stack trace or exception text in the answer"
    if status < 400:
        return None
    if "json" not in content_type:
        return f"refusal {status} as {content_type or 'no content type'}"
    try:
        body = json.loads(text)
    except ValueError:
        return f"refusal {status} with a body that is not JSON"
    problem = error_shape_problem(body)
    return f"refusal {status}: {problem}" if problem else None


# Operations whose input refusals (422) each name the field path ("$" for the whole document): the household
# calculator reads one JSON document, so a refusal can always say where in it the problem is.
FIELD_NAMED = {"POST /api/v1/calc"}


def unnamed_refusals(errors: list) -> list:
    """The errors (`cradle.errors` problems or the error-shape dicts) that name no field: each one is a finding."""
    return [e for e in errors if not (e.get("field") if isinstance(e, dict) else e.field)]


def field_problem(label: str, status: int, text: str) -> str | None:
    """For an operation of FIELD_NAMED, a 422 whose errors do not each name a field; else None."""
    if label not in FIELD_NAMED or status != 422:
        return None
    try:
        unnamed = unnamed_refusals(json.loads(text)["errors"])
    except (ValueError, KeyError, TypeError):
        return None  # answer_problem reports a broken shape
    return f"refusal 422 naming no field: {unnamed[0]}"[:300] if unnamed else None

"""Errors of the childcare domain. Each names the field (or row) at fault; the caller's data stay unchanged."""

from __future__ import annotations


class ChildcareError(ValueError):
    """Bad input: `field` is the path of the offending value (`slots[1].slots`, `rows[4].credit_code`)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message}


class NotFound(LookupError):
    def __init__(self, what: str, key: object):
        super().__init__(f"{what} {key} 不存在")
        self.what = what
        self.key = key


class OutOfScope(PermissionError):
    """The caller's region scope does not cover the record."""

    def __init__(self, region: str, scope: str):
        super().__init__(f"区划 {region} 不在当前用户的管辖范围 {scope} 内")
        self.region = region
        self.scope = scope


class IllegalTransition(ValueError):
    """A state machine was asked for a move its transitions table does not allow."""

    def __init__(self, machine: str, state: str, action: str, allowed: list[str]):
        allowed_text = "、".join(allowed) if allowed else "无"
        super().__init__(f"{machine}: 状态 {state} 不允许操作 {action}（可执行：{allowed_text}）")
        self.machine = machine
        self.state = state
        self.action = action
        self.allowed = allowed

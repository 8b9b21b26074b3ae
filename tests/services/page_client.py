"""The app through TestClient, signed in as a given account, and the page flows the appeal, proxy and file tests
share: a 张店区 mother's submitted application and its rejection by the town."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from cradle.web.app import create_app

from .pages_helpers import TOWN, apply_form, citizen_account, official, sign_in


class Signed:
    """A client signed in as one account; `post` adds the form's CSRF token."""

    def __init__(self, username: str):
        self.c = TestClient(create_app(), base_url="https://testserver")
        self.csrf = sign_in(self.c, username)

    def get(self, path: str, **kw):
        return self.c.get(path, follow_redirects=False, **kw)

    def post(self, path: str, data: dict | None = None, **kw):
        return self.c.post(path, data={**(data or {}), "csrf_token": self.csrf}, follow_redirects=False, **kw)

    def upload(self, path: str, name: str, content: bytes, content_type: str):
        return self.c.post(
            f"{path}?csrf_token={self.csrf}",
            files={"file": (name, content, content_type)},
            follow_redirects=False,
        )


def submitted(url: str, mother_id: str) -> tuple[Signed, str]:
    """The mother, signed in, and her submitted 保育费补助 application."""
    citizen_account(url, mother_id)
    me = Signed(mother_id)
    r = me.post("/services/apply", apply_form())
    assert r.status_code == 303, r.text
    return me, r.headers["location"].split("/")[2].split("?")[0]


def act(who: Signed, case_no: str, action: str, reason: str | None = None):
    version = re.search(r'name="version" value="(\d+)"', who.get(f"/staff/cases/{case_no}").text).group(1)
    data = {"action": action, "version": version}
    if reason:
        data[f"reason_{action}"] = reason
    return who.post(f"/staff/cases/{case_no}/act", data)


def rejected_by_town(url: str, mother_id: str) -> tuple[Signed, Signed, str]:
    me, case_no = submitted(url, mother_id)
    town = Signed(official(url, "town_official", TOWN))
    assert act(town, case_no, "town_accept").status_code == 303
    assert act(town, case_no, "town_reject", "未见入托证明").status_code == 303
    return me, town, case_no

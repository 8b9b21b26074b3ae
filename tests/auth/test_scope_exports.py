"""Exports, reports and searches: a county official of 370304 gets nothing of 370303 through any of them, while
370303's own official does (so the markers mean something). Downloads are opened: an xlsx's sheets and a PDF's
text are searched, not just the bytes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from cradle.auth.testing import bearer_for

from .seed import CHILD_ID, REG_BAD_ID, REG_ID, REG_NAMES, markers, seed
from .test_routes import all_routes, app_client  # noqa: F401  (the whole-app client fixture)

DOWNLOAD = re.compile(r"\.(csv|xlsx|pdf)$|export|download|report")
# Each GET route that exports, reports or searches, with the parameters that would find 370303's rows.
ASKED = {
    "/api/v1/registry/persons": [{"id_number": REG_ID}, {"name": REG_NAMES[0]}, {"name": REG_NAMES[3]}],
    "/registry/persons": [{"q": REG_ID}, {"q": REG_NAMES[0]}],
    "/api/v1/childcare/care": [{"id_number": CHILD_ID, "on": "2025-06-01"}],
    "/api/v1/registry/quarantine": [{}, {"status": "open"}],
    "/api/v1/registry/quarantine.csv": [{}, {"status": "open"}, {"dept": "gongan"}],
    "/registry/quarantine": [{}, {"status": "all"}, {"dept": "gongan"}, {"reason": "id_checksum"}],
    "/registry/identity": [{}],
    "/registry/uploads": [{}],
    "/api/v1/monitoring/template.xlsx": [{"region": "370303", "year": "2024"}],
    "/monitoring/upload/template.xlsx": [{"region": "370303", "year": "2024"}],
    "/monitoring/{code}/report": [{}],
    "/monitoring/{code}/report.pdf": [{}],
    "/monitoring/{code}/plan/scorecard.xlsx": [{}],
    "/monitoring/{code}/survey/{survey_id}/sheet.xlsx": [{}],
    "/whatif/runs/{run_id}/result.csv": [{}],
    "/api/v1/services/documents/{doc_no}.pdf": [{}],
    "/services/documents/{doc_no}.pdf": [{}],
    "/api/v1/health/export.csv": [{"kind": "pregnancies"}, {"kind": "cases"}, {"kind": "deaths"}],
}
SEARCHES = ("/api/v1/registry/persons", "/registry/persons", "/api/v1/childcare/care")


def readable(r) -> str:
    """The answer as text, with xlsx sheets unzipped and PDF pages extracted."""
    kind = r.headers.get("content-type", "")
    if r.content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if "pdf" in kind and r.content.startswith(b"%PDF"):
        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(r.content)).pages)
    return r.text


def test_every_export_report_and_search_route_is_asked(app_client):  # noqa: F811
    gets = {p for m, p in all_routes(app_client.app) if m == "GET"}
    downloads = {p for p in gets if DOWNLOAD.search(p)}
    assert downloads - set(ASKED) == set(), "add the new export/report route to ASKED"
    assert set(ASKED) <= gets


@pytest.mark.slow
def test_370304_gets_nothing_of_370303_from_exports_reports_and_searches(app_client, auth_url):  # noqa: F811
    ids = seed(auth_url)
    other = bearer_for(auth_url, "county_official", "370304")
    own = bearer_for(auth_url, "county_official", "370303")
    shown_to_own = set()
    for path, queries in ASKED.items():
        url = path.replace("{code}", "370303").replace("{doc_no}", "X")
        url = url.replace("{survey_id}", str(ids["survey_id"])).replace(
            "{run_id}", str(ids["monitoring_run_id"])
        )
        for query in queries:
            theirs = app_client.get(url, params=query, headers=other)
            # what the caller typed is echoed in the search box: not a leak
            leaked = [m for m in markers(ids) if m in readable(theirs) and m not in query.values()]
            assert not leaked, f"{path} {query}: {theirs.status_code} shows {leaked}"
            mine = app_client.get(url, params=query, headers=own)
            shown_to_own |= {path for m in markers(ids) if m in readable(mine) and m not in query.values()}
    # the same requests find the rows for 370303's official: the searches and the quarantine export
    assert {*SEARCHES, "/api/v1/registry/quarantine.csv", "/registry/quarantine", "/registry/identity"} <= (
        shown_to_own
    )
    assert REG_BAD_ID in readable(app_client.get("/api/v1/registry/quarantine.csv", headers=own))

"""Packs leave dates, parents, birth order and their own place to the engine (issue 18): every programs.py is
scanned for a hand-written in-force test, a private copy of a Ctx helper, a literal region code and a document
named by its file name (issue 20: a program cites another pack's document through `pack_document`)."""

import ast
import re

import pytest

from cradle.policy.packs import PACKS_DIR, load_packs
from cradle.policy.program import Ctx

# Helpers packs once kept their own copies of, under these names.
FORMER_COPIES = {"_since", "_member_row", "_youngest_birth"}
CTX_HELPERS = {name for name in dir(Ctx) if not name.startswith("_")}
IN_FORCE_WORDS = re.compile("施行|已实施")  # not “政策实施前”: that dates a family, not the program


def _region_codes() -> set[str]:
    return {p.region for p in load_packs() if p.region != "cn"}


def _document_files() -> set[str]:
    return {d.file for p in load_packs() for d in p.documents}


def _text(node: ast.AST, constants: dict[str, str]) -> str:
    """A condition label's text: a string, an f-string's fixed parts, or a module constant's value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v, constants) for v in node.values)
    if isinstance(node, ast.Name):
        return constants.get(node.id, "")
    return ""


def _is_call(node: ast.AST, name: str) -> bool:
    """`name(...)` or `x.name(...)`."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    return (isinstance(f, ast.Name) and f.id == name) or (isinstance(f, ast.Attribute) and f.attr == name)


def problems(source: str, codes: set[str], files: set[str] = frozenset()) -> list[str]:
    """What a pack's programs.py does by hand that the engine, Ctx or the pack API owns."""
    tree = ast.parse(source)
    found = []
    constants = {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and (
            node.name in FORMER_COPIES or node.name.lstrip("_") in CTX_HELPERS
        ):
            found.append(f"line {node.lineno}: {node.name} copies a Ctx helper")
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        params = {
            t.id
            for n in ast.walk(fn)
            if isinstance(n, ast.Assign) and _is_call(n.value, "param")
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for n in ast.walk(fn):
            if _is_call(n, "isnan") and n.args:
                arg = n.args[0]
                if _is_call(arg, "broadcast_to") and arg.args:
                    arg = arg.args[0]
                if isinstance(arg, ast.Name) and arg.id in params:
                    found.append(f"line {n.lineno}: np.isnan({arg.id}) tests whether a parameter is in force")
    for node in ast.walk(tree):
        if _is_call(node, "Rule"):
            for kw in node.keywords:
                if kw.arg == "conditions" and isinstance(kw.value, ast.List):
                    for cond in kw.value.elts:
                        if isinstance(cond, ast.Tuple) and cond.elts:
                            label = _text(cond.elts[0], constants)
                            if IN_FORCE_WORDS.search(label):
                                found.append(f"line {cond.lineno}: in-force condition “{label}” by hand")
                if kw.arg == "start" and any(
                    _is_call(n, "datetime64") and n.args and isinstance(n.args[0], ast.Constant)
                    for n in ast.walk(kw.value)
                ):
                    found.append(f"line {kw.value.lineno}: a period starting on a literal date")
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "start"
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Attribute)
            and node.value.value.attr == "values"
        ):
            found.append(f"line {node.lineno}: reads a parameter's first date by hand")
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
            text = str(node.value) if isinstance(node.value, int | str) else ""
            if re.fullmatch(r"\d{6}", text) and text in codes:
                found.append(f"line {node.lineno}: region code {text} written out (pack.yaml holds it)")
            for file in sorted(f for f in files if f in text):
                found.append(f"line {node.lineno}: document {file} named by its file name (pack_document)")
    return found


PROGRAM_FILES = sorted(PACKS_DIR.glob("*/programs.py"))


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=[p.parent.name for p in PROGRAM_FILES])
def test_pack_leaves_dates_parents_and_places_to_the_engine(path):
    assert problems(path.read_text(encoding="utf-8"), _region_codes(), _document_files()) == []


def test_the_scan_finds_each_thing_done_by_hand():
    source = """
TAKES_EFFECT = "方案已施行（2023-09-20起）"
HERE = 370300
LUHE = "000_297e707e5151f0b6.txt"

def _since(c, key):
    return np.datetime64(c.parameter(key).values[0].start, "D")

def _youngest_child_birth(c):
    return None

def subsidy(c):
    days = c.param("x.days", on=c.births.date)
    share = c.param("x.share")
    return Rule(
        conditions=[
            ("子女在方案施行后出生", ~np.isnan(days)),
            (TAKES_EFFECT, ~np.isnan(np.broadcast_to(share, (3,)))),
            (f"生育时{name}规定已实施", True),
            ("位于淄博市", c.hukou_within(370300, c.persons.hukou)),
            ("已填写费用", ~np.isnan(c.births.delivery_cost)),
        ],
        start=np.maximum(c.persons.birth_date, np.datetime64("2022-01-01")),
        explanation="",
    )
"""
    found = problems(source, {"370300"}, {"000_297e707e5151f0b6.txt"})
    joined = "\n".join(found)
    assert "_since copies a Ctx helper" in joined
    assert "_youngest_child_birth copies a Ctx helper" in joined
    assert "np.isnan(days)" in joined and "np.isnan(share)" in joined
    assert sum("by hand" in f and "condition" in f for f in found) == 3
    assert "a period starting on a literal date" in joined
    assert "reads a parameter's first date by hand" in joined
    assert sum("region code 370300" in f for f in found) == 2
    assert "document 000_297e707e5151f0b6.txt named by its file name" in joined
    assert "delivery_cost" not in joined  # a missing input is not an in-force test
    assert len(found) == 12

"""Policy packs: one folder per jurisdiction under cradle/packs/ with pack.yaml, parameters.yaml, programs.py,
clauses.yaml, tests.yaml, and the document's targets.yaml and measures.yaml. Loaded and validated once; a
malformed pack stops start-up with a PackError naming the file.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from cradle import regions, yamltext
from cradle.policy import dates
from cradle.policy.documents import Clause, document_text, is_loaded, parse_clauses
from cradle.policy.errors import PackError
from cradle.policy.measures import Measure, load_measures
from cradle.policy.parameters import Parameter, load_parameters
from cradle.policy.program import EVENT_DATES, Citation, PackDocument, Program
from cradle.policy.targets import Target, load_targets

OWN_PACKS_DIR = Path(__file__).resolve().parent.parent / "packs"
PACKS_DIR = OWN_PACKS_DIR  # where load_packs() looks; see reload()
LEVELS = {"national": 0, "province": 1, "city": 2, "county": 3}


@dataclass
class Document:
    file: str
    title: str
    status: str


@dataclass(eq=False)  # a pack is itself: load_packs()'s answer can key the caches of what is read from it
class Pack:
    id: str
    name: str
    region: str  # GB/T 2260 code, or "cn" for the national layer
    level: str
    documents: list[Document]
    parameters: dict[str, Parameter] = field(default_factory=dict)
    programs: list[Program] = field(default_factory=list)
    clauses: dict[tuple[str, str], Clause] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    childcare: dict[str, dict] = field(default_factory=dict)  # targets.yaml's 托育 standards, by kind
    measures: list[Measure] = field(default_factory=list)
    path: Path | None = None

    def applies_to(self, code: str) -> bool:
        return self.region == "cn" or _within(code, self.region)


def _yaml(path: Path):
    return yamltext.parse(path.read_text(encoding="utf-8")) or {}


def _programs_module(folder: Path, pack_id: str):
    """The pack's programs.py, as module cradle.packs.<id>.programs; a folder outside cradle/packs/ (a
    jurisdiction tried in a folder of its own, see reload()) is imported from its file."""
    name = f"cradle.packs.{pack_id}.programs"
    if folder.parent == OWN_PACKS_DIR:
        return importlib.import_module(name)
    spec = importlib.util.spec_from_file_location(name, folder / "programs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # as an import would (dataclasses and pickling look modules up there)
    spec.loader.exec_module(module)
    return module


@cache  # once per folder: loading annotates the Program objects programs.py defines
def _load_pack(folder: Path) -> Pack:
    meta_path = folder / "pack.yaml"
    meta = _yaml(meta_path)
    for key in ("id", "name", "region", "level"):
        if key not in meta:
            raise PackError(f"{meta_path}: missing '{key}'")
    if meta["id"] != folder.name:
        raise PackError(f"{meta_path}: id '{meta['id']}' differs from the folder name")
    if meta["level"] not in LEVELS:
        raise PackError(f"{meta_path}: level must be one of {list(LEVELS)}")
    region = str(meta["region"])
    if region != "cn" and not regions.exists(region):
        raise PackError(f"{meta_path}: unknown region {region}")
    documents = [
        Document(str(d["file"]), str(d.get("title", "")), str(d.get("status", "")))
        for d in meta.get("documents") or []
    ]
    pack = Pack(
        id=meta["id"], name=meta["name"], region=region, level=meta["level"], documents=documents, path=folder
    )
    default_doc = documents[0].file if documents else ""
    params_path = folder / "parameters.yaml"
    if params_path.exists():
        raw = _yaml(params_path)
        pack.parameters = load_parameters(pack.id, raw, default_doc, str(params_path))
    module = _programs_module(folder, pack.id)
    for obj in vars(module).values():
        prog = getattr(obj, "_cradle_program", None)
        if prog is None:
            continue
        if not prog.id.startswith(pack.id + "."):
            raise PackError(f"{folder}/programs.py: program {prog.id} must start with '{pack.id}.'")
        prog.citations = [_resolve_citation(c, folder.parent, prog.id) for c in prog.citations]
        if prog.clause:
            if not default_doc:
                raise PackError(f"{prog.id}: a clause needs a document in pack.yaml")
            prog.citations = [Citation(default_doc, prog.clause), *prog.citations]
        if not prog.citations:
            raise PackError(f"{prog.id}: no citation")
        _resolve_in_force(prog, pack)
        prog.pack = pack
        pack.programs.append(prog)
    clauses_path = folder / "clauses.yaml"
    if clauses_path.exists():
        raw = _yaml(clauses_path)
        for document, spec in raw.items():
            if not is_loaded(document):
                raise PackError(f"{clauses_path}: document {document} is not loaded")
            for clause in parse_clauses(document, spec, str(clauses_path)).values():
                pack.clauses[(document, clause.clause)] = clause
    _check_citations(pack, pack.clauses, own=True)
    files = [d.file for d in documents]
    targets_path, measures_path = folder / "targets.yaml", folder / "measures.yaml"
    if targets_path.exists():
        pack.targets, pack.childcare = load_targets(
            _yaml(targets_path), region, pack.level, files, str(targets_path)
        )
    if measures_path.exists():
        pack.measures = load_measures(_yaml(measures_path), region, files, str(measures_path))
    return pack


def _resolve_in_force(prog: Program, pack: Pack) -> None:
    """The days a program is in force and its condition's label, from its `in_force` declaration: a parameter
    is in force from its first dated entry (a null value counts: the figure is left to another level, the
    rule exists), dates are (first day, last day or None). The label says what took effect: the pack's own
    issued plan (方案) or a regulation (规定)."""
    spec = prog.in_force
    if spec is None:
        return
    issued = {d.file for d in pack.documents if d.status.startswith("issued")}
    if isinstance(spec, str):
        prm = pack.parameters.get(f"{pack.id}.{spec}")
        if prm is None:
            raise PackError(f"{prog.id}: in_force names unknown parameter {pack.id}.{spec}")
        start, end, plan = prm.values[0].start, None, prm.values[0].document in issued
    else:
        try:
            start, end = (
                d if d is None or isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in spec
            )
        except (TypeError, ValueError):
            start = end = None
        if start is None or (end is not None and end < start):
            raise PackError(f"{prog.id}: in_force must be a parameter key or (first day, last day or None)")
        plan = bool(issued)
    what = "方案" if plan else "规定"
    when = EVENT_DATES.get((prog.entity, prog.in_force_on), "")
    prog.in_force_from = np.datetime64(start, "D")
    prog.in_force_until = dates.NAT if end is None else np.datetime64(end, "D")
    prog.in_force_label = (
        f"{when}{what}已施行（{start}起）" if end is None else f"{when}{what}施行期内（{start}至{end}）"
    )


def _resolve_citation(citation: Citation, packs_dir: Path, where: str) -> Citation:
    """A citation of another pack's document (`pack_document(id)`) as the file of that pack's first document,
    read from its pack.yaml (the pack itself may not be loaded yet)."""
    ref = citation.document
    if not isinstance(ref, PackDocument):
        return citation
    meta_path = packs_dir / ref.pack / "pack.yaml"
    if not meta_path.exists():
        raise PackError(f"{where}: cites the document of unknown pack '{ref.pack}'")
    documents = _yaml(meta_path).get("documents") or []
    if not documents:
        raise PackError(f"{where}: pack '{ref.pack}' has no document to cite")
    return Citation(str(documents[0]["file"]), citation.clause)


def _check_citations(pack: Pack, located: dict, *, own: bool) -> None:
    """Every clause cited from a loaded document must be located in it, so each citation shows real text.
    When a pack loads (`own`), the clauses of its own documents must be in its clauses.yaml; once every pack
    is loaded, a clause of another pack's document must be in some pack's clauses.yaml (`located`)."""
    files = {d.file for d in pack.documents}
    cited = [(c.document, c.clause, prog.id) for prog in pack.programs for c in prog.citations]
    cited += [
        (v.document, v.clause, prm.name)
        for prm in pack.parameters.values()
        for v in [*prm.values, *(x for vs in prm.by_region.values() for x in vs)]
    ]
    for document, clause, where in cited:
        if (document in files) != own or not is_loaded(document) or (document, clause) in located:
            continue
        if own:
            raise PackError(f"{where}: clause {clause} of {document} is not in {pack.id}/clauses.yaml")
        raise PackError(f"{where}: clause {clause} of {document} is not in any pack's clauses.yaml")


def find_clause(document: str, clause: str) -> Clause:
    for pack in load_packs():
        if (document, clause) in pack.clauses:
            return pack.clauses[(document, clause)]
    raise KeyError((document, clause))


@lru_cache(maxsize=1)
def load_packs() -> tuple[Pack, ...]:
    """Every pack, national first, then by level and id."""
    packs = [_load_pack(f.resolve()) for f in sorted(PACKS_DIR.iterdir()) if (f / "pack.yaml").exists()]
    ids = [p.id for p in packs]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise PackError(f"duplicate pack ids: {sorted(dupes)}")
    all_programs = [prog.id for p in packs for prog in p.programs]
    dupes = {i for i in all_programs if all_programs.count(i) > 1}
    if dupes:
        raise PackError(f"duplicate program ids: {sorted(dupes)}")
    measures = [m.id for p in packs for m in p.measures]
    dupes = {i for i in measures if measures.count(i) > 1}
    if dupes:
        raise PackError(f"duplicate measure ids: {sorted(dupes)}")
    located = {key: clause for p in packs for key, clause in p.clauses.items()}
    for p in packs:
        _check_citations(p, located, own=False)
    return tuple(sorted(packs, key=lambda p: (LEVELS[p.level], p.id)))


def reload() -> None:
    """Forget the packs and texts loaded so far: the next load_packs() reads PACKS_DIR and
    documents.DOCUMENTS_DIR again. The seam for trying a jurisdiction in a folder of its own: a test points
    both at a temporary folder holding the new pack and text beside links to cradle's own (see
    tests/policy/test_new_jurisdiction.py). A folder is read once per process; the caches others keep of
    what they read from the packs are keyed on load_packs()'s answer, so they follow."""
    for cached in (load_packs, _packs_for, layer_parameter, document_text):
        cached.cache_clear()


def with_targets() -> list[Pack]:
    """The packs whose documents set targets or plan measures (the areas monitoring follows)."""
    return [p for p in load_packs() if p.targets or p.childcare or p.measures]


def all_parameters() -> dict[str, Parameter]:
    return {name: prm for p in load_packs() for name, prm in p.parameters.items()}


@lru_cache(maxsize=4096)
def _within(code: str, ancestor: str) -> bool:
    return regions.is_within(code, ancestor)


@lru_cache(maxsize=4096)
def _packs_for(code: str) -> tuple[Pack, ...]:
    return tuple(p for p in load_packs() if p.applies_to(code))


@lru_cache(maxsize=4096)
def layer_parameter(key: str, code: int) -> Parameter | None:
    """`<pack>.<key>` of the most specific pack serving `code` that defines it."""
    chosen = None
    for pack in _packs_for(str(code)):
        if f"{pack.id}.{key}" in pack.parameters:
            chosen = pack.parameters[f"{pack.id}.{key}"]
    return chosen


def packs_for(code: str) -> list[Pack]:
    """The layers serving a household in `code`, national first."""
    return list(_packs_for(code))


def programs_for(code: str | None = None) -> list[Program]:
    packs = load_packs() if code is None else packs_for(code)
    return [prog for p in packs for prog in p.programs]


def find_program(program_id: str) -> Program:
    for p in load_packs():
        for prog in p.programs:
            if prog.id == program_id:
                return prog
    raise KeyError(program_id)

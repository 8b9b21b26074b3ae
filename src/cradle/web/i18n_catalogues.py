"""Keeps the message catalogues in step with the code: extract the messages from templates and Python, merge
them into i18n/<locale>/LC_MESSAGES/messages.po. Run by `cradle i18n-update`; the zh translations are then
written by hand (the English catalogue mirrors its English message ids)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from cradle.web.i18n import LOCALES, po_path

WEB_DIR = Path(__file__).parent
# Other packages whose Python code says user-facing messages (their page templates live under web/templates/;
# the monitoring report's template is its own, under monitoring/report/templates/).
EXTRA_DIRS = [
    WEB_DIR.parent / name
    for name in (
        "auth",
        "monitoring",
        "childcare",
        "registry",
        "services",
        "payments",
        "batch",
        "backup",
        "synth",
        "ops",
        "policy",
        "jobs",
        "assistance",
        "params",
        "health",
    )
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHOD_MAP = [("templates/**.html", "jinja2"), ("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {
    pattern: {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    for pattern, method in METHOD_MAP
    if method == "jinja2"
}


def extract() -> Catalog:
    """Every message the web package says, with where it is said."""
    template = Catalog(project="cradle", fuzzy=False)
    for folder in [WEB_DIR, *EXTRA_DIRS]:
        prefix = "" if folder == WEB_DIR else f"../{folder.name}/"
        for filename, lineno, message, comments, context in extract_from_dir(
            folder, method_map=METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
        ):
            template.add(
                message, None, [(prefix + filename, lineno)], auto_comments=comments, context=context
            )
    return template


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="cradle", fuzzy=False)
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def _translated(strings) -> bool:
    """A singular string, or a plural tuple, with nothing left empty."""
    return bool(strings) and (isinstance(strings, str) or all(strings))


def untranslated(catalog: Catalog, template: Catalog) -> list[str]:
    """Message ids of `template` that `catalog` lacks or leaves empty or fuzzy."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None or not _translated(found.string) or found.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update() -> dict[str, list[str]]:
    """Merge the extracted messages into each catalogue; returns the messages each still lacks."""
    template = extract()
    report = {}
    for locale in LOCALES:
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
        if locale == "en":  # message ids are English
            for message in catalog:
                if message.id and not _translated(message.string):
                    message.string = message.id  # a plural id is the (singular, plural) pair
                    message.flags.discard("fuzzy")
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fp:
            write_po(fp, catalog, width=110, omit_header=False, ignore_obsolete=True, sort_output=False)
        report[locale] = untranslated(catalog, template)
    return report

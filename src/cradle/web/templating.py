"""Jinja2 rendering with gettext: one environment per locale, so concurrent requests never share a language."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cradle import regions as gbt2260
from cradle.auth.actor import ANONYMOUS
from cradle.policy import published
from cradle.web import formatting, names, notes
from cradle.web.i18n import HTML_LANG, LOCALES, translations
from cradle.web.nav import is_served, navigation

TEMPLATE_DIR = Path(__file__).parent / "templates"


@cache
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)
    env.globals.update(
        locale=locale,
        html_lang=HTML_LANG[locale],
        locales=LOCALES,
        format_date=lambda value, fmt="long": formatting.date(value, locale, fmt),
        format_amount=lambda amount, unit: formatting.amount_with_unit(amount, unit, locale),
        format_moment=lambda value: formatting.moment(value, locale),
        format_money=lambda amount: "" if amount is None else formatting.money(amount, locale),
        actor_name=lambda ref: names.actor_name(ref, locale),
        format_period=lambda start, end: formatting.period(start, end, locale),
        unset_amount=lambda note: notes.unset_amount(note, locale),
        describe_note=lambda note: notes.describe(note, locale),
        document_status=lambda status: notes.document_status(status, locale),
        is_draft=notes.is_draft,
        document_title=published.title,  # citations show a document by its title, never its file
        is_served=is_served,
        region_name=lambda code: gbt2260.local_name(code, locale) if gbt2260.exists(code) else code,
    )
    return env


def locale_of(request: Request) -> str:
    return getattr(request.state, "locale", LOCALES[0])


def lang_url(request: Request, locale: str) -> str:
    """The current page in another language (keeps the path and the other query parameters)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", locale))
    return f"{request.url.path}?{urlencode(params)}"


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    locale = locale_of(request)
    env = environment(locale)
    context.setdefault("breadcrumbs", [])
    html = env.get_template(template).render(
        request=request,
        nav=navigation(request.app, request.url.path, getattr(request.state, "actor", None) or ANONYMOUS),
        lang_urls={code: lang_url(request, code) for code in LOCALES},
        **context,
    )
    return HTMLResponse(html, status_code=status_code)

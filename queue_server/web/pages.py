"""What every staff page shares: language, the page context, the role gate."""
from __future__ import annotations

import functools

from flask import Blueprint, redirect, render_template, request, session, url_for

from queue_server.auth.models import Role
from queue_server.web.i18n import (
    FORMATS,
    LANGUAGE_NAMES,
    STRINGS,
    format_date,
    format_number,
    local_name,
    pick_language,
    translate,
)
from queue_server.web.requests import csrf_token, current_identity, query_choice, services

blueprint = Blueprint("pages", __name__)

# Icons drawn in templates/icons.html; a category with another icon name gets the plain one.
ICONS = {"lansia", "disabilitas", "ibu_hamil", "anak", "umum", "priority"}


def page_language() -> str:
    """The session's chosen language, else the office default."""
    config = services().config
    return pick_language(session.get("lang"), config.languages, config.default_language)


def request_language() -> str:
    """An export's language: ?lang= one of the office's languages (422 otherwise) when
    given, for scripts and tokens; else the page's."""
    config = services().config
    offered = [code for code in config.languages if code in STRINGS]
    return query_choice("lang", offered) or page_language()


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to, or None: never an absolute or protocol-relative URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@blueprint.app_context_processor
def page_context() -> dict:
    language = page_language()
    config = services().config
    others = [(code, LANGUAGE_NAMES.get(code, code)) for code in config.languages
              if code in STRINGS and code != language]
    here = request.full_path if request.query_string else request.path
    return {"lang": language, "other_languages": others, "office": config.office_name,
            "unit": config.office_unit, "csrf_token": csrf_token, "here": here,
            "icon_for": lambda category: category.icon if category.icon in ICONS else "umum",
            "t": functools.partial(translate, language),
            "name_of": lambda item: local_name(item, language),
            "locale": {**FORMATS.get(language, FORMATS["id"]), "timezone": config.timezone}}


@blueprint.app_template_filter("local_date")
def local_date(value, style: str = "date") -> str:
    """{{ value | local_date("day") }}: a date, moment or ISO text in the page's one format."""
    return format_date(value, page_language(), style, services().config.tz)


@blueprint.app_template_filter("local_number")
def local_number(value, places: int | None = None) -> str:
    """{{ value | local_number(2) }}: a number with the page language's separators."""
    return format_number(value, page_language(), places)


def staff_page(*roles: Role):
    """Let in logged-in users with one of these roles (admin always); others see why not."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            identity = current_identity()
            if identity is None:  # never logged in, logged out, idled out or deactivated
                return redirect(url_for("auth_pages.login", next=request.path))
            if identity.role not in roles and identity.role != Role.ADMIN:
                return render_template("forbidden.html", identity=identity), 403
            return view(identity, *args, **kwargs)

        return wrapper

    return decorator


def labels(language: str) -> dict[str, str]:
    """Every label of the language, for a page's scripts."""
    return dict(STRINGS.get(language, STRINGS["id"]))

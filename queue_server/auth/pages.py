"""Staff login and logout, the language switch, each role's home page."""
from __future__ import annotations

import shlex
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from queue_server.auth.models import Role, User
from queue_server.auth.protection import check_form_post
from queue_server.platform.errors import DomainError
from queue_server.web.i18n import STRINGS
from queue_server.web.pages import safe_next, staff_page
from queue_server.web.requests import SESSION_ID, current_identity, services

blueprint = Blueprint("auth_pages", __name__)
HOME_ENDPOINTS = {Role.RECEPTIONIST: "tickets_pages.reception",
                  Role.OFFICER: "tickets_pages.counter_choice",
                  Role.ADMIN: "auth_pages.admin_menu", Role.PPID: "procedure_pages.ppid",
                  Role.SECURITY: "procedure_pages.security",
                  Role.SUPERVISOR: "reports_pages.board", Role.KIOSK: "kiosk_pages.kiosk"}


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET" and current_identity() is not None:
        return redirect(next_path or url_for("auth_pages.index"))
    if request.method == "POST":
        check_form_post()
        app = services()
        try:
            sid, _user = app.auth.login_session(app.work, request.form.get("username", ""),
                                                request.form.get("password", ""),
                                                request.remote_addr or "?")
        except DomainError as exc:
            error = exc
        else:
            end_cookies_session()  # a second login in this browser replaces the first
            # A fresh cookie against fixation: only the session id (and the language).
            fresh_session(sid)
            return redirect(next_path or url_for("auth_pages.index"))
    status = 429 if error and error.code == "rate_limited" else 401 if error else 200
    return render_template("login.html", error=error, next_path=next_path,
                           username=request.form.get("username", ""),
                           first_admin=first_admin_command()), status


def first_admin_command() -> str | None:
    """While no user exists, the command that makes the first admin (the login form is of
    no use until then); else None. It names the server's config file unless that is the
    ./config.yaml the command reads by default."""
    app = services()
    try:
        with app.work.read() as db:
            if db.scalar(select(User.id).limit(1)) is not None:
                return None
    except DBAPIError:  # the database is down: show the form, which says so on a login
        return None
    words = ["queue-server"]
    config_path = Path(app.config.path).resolve()
    if config_path != (Path.cwd() / "config.yaml").resolve():
        words += ["--config", str(config_path)]
    return shlex.join(words + ["users", "add", "admin", "--role", Role.ADMIN.value])


def fresh_session(sid: str | None) -> None:
    """Empty the cookie but for the chosen language, then hold sid if given."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    if sid:
        session[SESSION_ID] = sid


def end_cookies_session() -> None:
    """End the session the cookie names, if any: its id opens nothing from now on."""
    sid = session.get(SESSION_ID)
    if sid:
        app = services()
        with app.session_factory() as db, db.begin():
            app.auth.end_session(db, sid)


@blueprint.post("/logout")
def logout():
    check_form_post()
    end_cookies_session()
    fresh_session(None)
    return redirect(url_for("auth_pages.login"))


@blueprint.get("/lang/<code>")
def set_language(code: str):
    if code not in services().config.languages or code not in STRINGS:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("auth_pages.index"))


@blueprint.get("/")
def index():
    identity = current_identity()
    if identity is None:
        return redirect(url_for("auth_pages.login"))
    endpoint = HOME_ENDPOINTS.get(identity.role)
    if endpoint:
        return redirect(url_for(endpoint))
    return render_template("role_home.html", identity=identity)


@blueprint.get("/admin")
@staff_page(Role.ADMIN)
def admin_menu(identity):
    return render_template("admin_menu.html", identity=identity)

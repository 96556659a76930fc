"""Staff pages: login, receptionist, counter officer."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from .auth import AuthError
from .http import csrf_token, services

blueprint = Blueprint("pages", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        app = services()
        with app.session_factory() as db, db.begin():
            try:
                user = app.auth.login(db, request.form.get("username", ""),
                                      request.form.get("password", ""),
                                      request.remote_addr or "?")
            except AuthError as exc:
                error = exc
            else:
                session.clear()
                session.update(user_id=user.id, username=user.username,
                               display_name=user.display_name, role=user.role.value)
        if error is None:
            return redirect(url_for("pages.index"))
    return render_template("login.html", error=error, csrf=csrf_token()), \
        (429 if error and error.code == "rate_limited" else 401 if error else 200)


@blueprint.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("pages.login"))


@blueprint.get("/")
def index():
    if not session.get("user_id"):
        return redirect(url_for("pages.login"))
    return redirect(url_for("pages.login"))

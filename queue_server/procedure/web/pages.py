"""Staff pages of the procedure, one per role, plus the visit timeline and the survey tablet."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from queue_server.auth.models import Role, User
from queue_server.procedure.errors import not_found
from queue_server.procedure.models import Delivery, InfoFormat
from queue_server.procedure.names import Names
from queue_server.procedure.ppid import EXEMPTIONS, OBJECTION_GROUNDS, holiday_gaps
from queue_server.procedure.sections import COMMUNICATION_NEEDS
from queue_server.procedure.settings import STAFF_ROLES
from queue_server.procedure.survey_audio import notice_urls
from queue_server.procedure.views import identity_view, timeline
from queue_server.web.i18n import format_date, local_name, translate
from queue_server.web.pages import labels, page_language, staff_page
from queue_server.web.requests import services

blueprint = Blueprint("procedure_pages", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/static/procedure")


def procedure():
    return current_app.extensions["procedure"]


def local_time(value: str | None) -> str:
    """An ISO time from the API as the office's local date and time, to the second."""
    return format_date(value, page_language(), "datetime_seconds", services().config.tz)


def hms(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@blueprint.context_processor
def procedure_context() -> dict:
    return {"local_time": local_time, "hms": hms,
            "procedure_identity": identity_view(procedure().procedure.identity)}


def page_data(role: str, **extra: Any) -> dict[str, Any]:
    """What a page's script needs: labels, the role, the steps and the office's choices."""
    language = page_language()
    settings = procedure().settings
    config = services().config
    return {
        "labels": labels(language), "language": language, "role": role,
        "timezone": config.timezone,
        "steps": {step.key: {"position": step.position, "name": step.local_name(language),
                             "short": step.short_name_en if language == "en"
                             else step.short_name, "role": step.role,
                             "recorded_by": [r.value for r in step.recorded_by],
                             "skip_by": [r.value for r in step.skip_by],
                             "equipment": list(step.equipment),
                             "equipment_names": step.equipment_names(language),
                             "standard": step.standard_text(language),
                             "records": [r.value for r in step.records]}
                  for step in procedure().procedure.steps},
        "aids": {aid.code: aid.name_en if language == "en" else aid.name
                 for aid in settings.guest_book.aids},
        "services": {s.code: {"name": local_name(s, language),
                              "requirements": list(s.requirements),
                              "requirement_names": s.requirement_names(language)}
                     for s in config.services.values()},
        **extra}


def _render(template: str, identity, role: str, **extra):
    return render_page(template, identity, role, {}, **extra)


def render_page(template: str, identity, role: str, context: dict[str, Any], **extra):
    """A role's page: template context, and page_data for its script."""
    if not procedure().procedure.enabled:
        raise not_found(translate(page_language(), "no_procedure"))
    return render_template(template, identity=identity, page_data=page_data(role, **extra),
                           **context)


def gaps() -> list[int]:
    """Years a deadline from today can reach with no holiday listed: the pages' banner."""
    app = services()
    return holiday_gaps(procedure(), app.clock().astimezone(app.config.tz).date())


def request_choices() -> dict[str, Any]:
    """What the request register asks (Pasal 22 ayat (2)), refusals and objections."""
    return {"formats": [f.value for f in InfoFormat], "deliveries": [d.value for d in Delivery],
            "exemptions": list(EXEMPTIONS), "objection_grounds": OBJECTION_GROUNDS}


@blueprint.get("/keamanan")
@staff_page(Role.SECURITY)
def security(identity):
    return _render("procedure/security.html", identity, "security")


@blueprint.get("/buku-tamu")
@staff_page(Role.RECEPTIONIST)
def guest_book(identity):
    book = procedure().settings.guest_book
    language = page_language()
    english = language == "en"
    categories = [{"code": c.code, "name": c.name_en if english else c.name, "child": c.child,
                   "kinds": [{"code": k.code, "name": k.name_en if english else k.name}
                             for k in c.kinds]} for c in book.categories.values()]
    communication = [{"code": n.code, "name": n.name_en if english else n.name}
                     for n in COMMUNICATION_NEEDS]
    return _render("procedure/guest_book.html", identity, "receptionist",
                   categories=categories, communication=communication,
                   nik_required_for=sorted(book.nik_required_for),
                   notice_audio=notice_urls(book, language),
                   legal_basis=book.legal_basis_en if english else book.legal_basis,
                   child_consent=book.child_consent_en if english else book.child_consent)


@blueprint.get("/layanan")
@staff_page(Role.OFFICER)
def counter(identity):
    counters = services().config.counters.values()
    default = next((c.code for c in counters if c.priority_only), None)
    return _render("procedure/counter.html", identity, "officer",
                   counters={c.code: local_name(c, page_language()) for c in counters},
                   default_counter=default or next((c.code for c in counters), None),
                   **request_choices())


@blueprint.get("/ppid")
@staff_page(Role.PPID)
def ppid(identity):
    settings = procedure().settings.ppid
    return render_page("procedure/ppid.html", identity, "ppid",
                       {"holiday_gaps": gaps(), "day_one": settings.day_one},
                       extension_days=settings.extension_working_days, **request_choices())


@blueprint.get("/survei")
@staff_page(Role.DISPLAY, Role.OFFICER, Role.RECEPTIONIST)
def survey(identity):
    # The display role's tablet is a kiosk: no way off the page but an admin's unlock.
    kiosk = identity.role == Role.DISPLAY
    return render_template("procedure/survey.html", identity=identity, kiosk=kiosk,
                           page_data={"labels": labels(page_language()),
                                      "language": page_language(), "kiosk": kiosk})


@blueprint.get("/kunjungan/<int:visit_id>")
@staff_page(Role.RECEPTIONIST, Role.OFFICER, Role.PPID, Role.SECURITY)
def visit_timeline(identity, visit_id: int):
    app = services()
    with app.session_factory() as db:
        visit = procedure().visit(db, visit_id)
        view = timeline(db, procedure(), visit, identity.role, app.clock())
    return render_template("procedure/timeline.html", identity=identity, view=view,
                           tz=app.config.tz, page_data=page_data(identity.role.value,
                                                                 visit_id=visit_id),
                           lookup=Names(procedure(), page_language()))


@blueprint.get("/prosedur")
@staff_page(Role.ADMIN)
def admin(identity):
    with services().session_factory() as db:
        # Only staff who can do a step: not the TV or the print agent's accounts.
        users = [{"id": u.id, "name": u.display_name, "role": u.role.value}
                 for u in db.scalars(select(User).where(User.active.is_(True))
                                     .order_by(User.display_name))
                 if u.role.value in STAFF_ROLES]
    return render_page("procedure/admin.html", identity, "admin", {"holiday_gaps": gaps()},
                       users=users, records=["guest_list", "priority_queue_list", "request_list",
                            "service_result", "information_receipt", "satisfaction_survey"])

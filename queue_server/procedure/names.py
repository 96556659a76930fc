"""Codes as people read them, in one language: the one lookup the procedure's pages, the
visit timeline and the CSV exports use for steps, statuses, categories, aids and roles."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from queue_server.web.i18n import format_date, format_number, local_name, translate

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService

STATUS_KINDS = ("visit", "request", "queue")
"""Whose status a code is: visit_status_active, request_status_in_process, queue_status_waiting."""


class Names:
    """Names of one office's codes in one language; an unknown code is shown as it is."""

    def __init__(self, service: ProcedureService, language: str):
        self.language = language
        self.config = service.config
        self.procedure = service.procedure
        self.book = service.settings.guest_book
        self.survey = service.settings.survey

    def label(self, key: str, **values: Any) -> str:
        return translate(self.language, key, **values)

    def step(self, key: str) -> str:
        step = self.procedure.step(key)
        return step.local_name(self.language) if step else key

    def standard(self, key: str) -> str:
        """The step's standard time: "5 menit", "1 s.d. 3 hari kerja", "5 min"."""
        step = self.procedure.step(key)
        return step.standard_text(self.language) if step else ""

    def output(self, key: str) -> str:
        step = self.procedure.step(key)
        return step.local_output(self.language) if step else ""

    def status(self, kind: str, value: str | None) -> str:
        """A visit's, request's or ticket's status; kind is one of STATUS_KINDS."""
        if not value:
            return ""
        key = f"{kind}_status_{value}"
        text = translate(self.language, key)
        return value if text == key else text

    def role(self, value: str | None) -> str:
        return translate(self.language, f"role_{value}") if value else ""

    def category(self, code: str | None) -> str:
        """A guest book group, else a queue category (their codes do not clash in meaning)."""
        if not code:
            return ""
        group = self.book.categories.get(code)
        if group is not None:
            return group.name_en if self.language == "en" else group.name
        category = self.config.categories.get(code)
        return local_name(category, self.language) if category else code

    def kind(self, code: str) -> str:
        for group in self.book.categories.values():
            for option in group.kinds:
                if option.code == code:
                    return option.name_en if self.language == "en" else option.name
        return code

    def aid(self, code: str) -> str:
        for option in self.book.aids:
            if option.code == code:
                return option.name_en if self.language == "en" else option.name
        return code

    def service(self, code: str | None) -> str:
        service = self.config.services.get(code or "")
        return local_name(service, self.language) if service else (code or "")

    def counter(self, code: str | None) -> str:
        counter = self.config.counters.get(code or "")
        return local_name(counter, self.language) if counter else (code or "")

    def equipment(self, step_key: str, item: str) -> str:
        step = self.procedure.step(step_key)
        return step.equipment_names(self.language).get(item, item) if step else item

    def requirement(self, service_code: str, item: str) -> str:
        service = self.config.services.get(service_code)
        return service.requirement_names(self.language).get(item, item) if service else item

    def listed(self, lookup, codes: Iterable[str]) -> str:
        """Several codes, each by lookup (self.aid, self.kind ...), joined by commas."""
        return ", ".join(lookup(code) for code in codes)

    def option(self, group: str, code: str) -> str:
        """A survey profile answer: group is genders, education or occupations."""
        settings = self.survey
        for option in getattr(settings, group, ()):
            if option.code == code:
                return option.name_en if self.language == "en" else option.name
        return code

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return ""
        return translate(self.language, "yes" if value else "no")

    def date(self, value: Any, style: str = "date") -> str:
        return format_date(value, self.language, style, self.config.tz)

    def number(self, value: Any, places: int | None = None) -> str:
        return format_number(value, self.language, places)

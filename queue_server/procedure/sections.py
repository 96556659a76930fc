"""The guest book, PPID, survey and holiday sections of config.yaml, and their defaults."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from queue_server.platform.config import ConfigError
from queue_server.procedure.settings import (
    Option,
    Procedure,
    as_date,
    get,
    options,
    parse_procedure,
)
from queue_server.procedure.skm import DEFAULT_QUESTIONS, Element, Question, Weighting

LEGAL_BASIS = (
    "Data pribadi Anda dicatat untuk melaksanakan tugas pelayanan publik "
    "(UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 20 ayat (2) huruf e) dan "
    "hanya dipakai untuk layanan ini.")
LEGAL_BASIS_EN = (
    "Your personal data is recorded to carry out a public-service task (Law 27/2022 on "
    "Personal Data Protection, Article 20(2)(e)) and is used for this service only.")
CHILD_CONSENT = ("Data anak diproses dengan persetujuan orang tua atau wali "
                 "(UU 27/2022 Pasal 25 ayat (2)).")
CHILD_CONSENT_EN = "A child's data is processed with a parent's or guardian's consent " \
                   "(Law 27/2022 Article 25(2))."


@dataclass(frozen=True)
class GuestCategory:
    """A vulnerable group in the guest book and the queue category its ticket gets."""

    code: str
    name: str
    name_en: str
    queue_category: str
    kinds: tuple[Option, ...] = ()
    """Sub-kinds to pick from (the kinds of disability)."""
    child: bool = False
    """A child: a guardian's consent is required."""


@dataclass(frozen=True)
class GuestBookSettings:
    """Guest book choices, the legal basis shown, and how long personal data is kept."""

    categories: dict[str, GuestCategory] = field(default_factory=dict)
    aids: tuple[Option, ...] = ()
    retention_days: int = 365
    legal_basis: str = LEGAL_BASIS
    legal_basis_en: str = LEGAL_BASIS_EN
    child_consent: str = CHILD_CONSENT
    child_consent_en: str = CHILD_CONSENT_EN
    nik_required_for: frozenset[str] = frozenset()
    """Services whose guest-book entry needs the NIK; for the others it is optional."""


DAY_ONE_CHOICES = ("next_working_day", "receipt_day")


@dataclass(frozen=True)
class PpidSettings:
    """Statutory limits of UU 14/2008 Pasal 22: 10 working days, one extension of up to 7.

    day_one says which day is day 1 of a count: the next working day after receipt (the
    default, the later deadline) or the day of receipt itself when it is a working day.
    An objection (keberatan, Pasal 36) is answered within objection_working_days.
    """

    statutory_working_days: int = 10
    extension_working_days: int = 7
    day_one: str = "next_working_day"
    objection_working_days: int = 30


@dataclass(frozen=True)
class SurveySettings:
    """The SKM questionnaire and the respondent profile choices."""

    questions: dict[Element, Question] = field(default_factory=lambda: dict(DEFAULT_QUESTIONS))
    genders: tuple[Option, ...] = ()
    education: tuple[Option, ...] = ()
    occupations: tuple[Option, ...] = ()
    reset_seconds: int = 20
    weighting: Weighting = Weighting.EXACT
    """survey.weight: each element weighs exactly 1/9, or 0.111 as many offices print it."""


@dataclass(frozen=True)
class ProcedureConfig:
    """Everything the procedure package reads from config.yaml."""

    procedure: Procedure = field(default_factory=Procedure)
    guest_book: GuestBookSettings = field(default_factory=GuestBookSettings)
    ppid: PpidSettings = field(default_factory=PpidSettings)
    survey: SurveySettings = field(default_factory=SurveySettings)
    holidays: dict[date, str] = field(default_factory=dict)


DEFAULT_AIDS = [{"code": "kursi_roda", "name": "Kursi roda", "name_en": "Wheelchair"},
                {"code": "tongkat", "name": "Tongkat", "name_en": "Walking stick"},
                {"code": "payung", "name": "Payung", "name_en": "Umbrella"},
                {"code": "pendamping", "name": "Pendamping", "name_en": "Companion"},
                {"code": "juru_bahasa_isyarat", "name": "Juru bahasa isyarat",
                 "name_en": "Sign-language interpreter"}]
COMMUNICATION_NEEDS = (
    Option("sensorik_rungu", "Sensorik rungu (tidak dapat mendengar panggilan)",
           "Sensory: deaf (cannot hear the call)"),
    Option("sensorik_wicara", "Sensorik wicara", "Sensory: speech"),
    Option("sensorik_netra", "Sensorik netra (tidak dapat melihat layar)",
           "Sensory: blind (cannot see the screen)"))
"""A visitor's communication need: health data, read only by HEALTH_READERS."""
FETCH_NEEDS = frozenset({"sensorik_rungu", "sensorik_netra"})
"""Needs that keep a visitor from hearing or seeing the TV call: staff fetch them instead."""
NOTICE_MODES = ("read_aloud", "large_print", "sign_language", "written")
"""How the notice reached a visitor with a disability (UU 27/2022 Pasal 26)."""
CONSENT_BY = ("visitor", "guardian")
DISABILITY_KINDS = [
    {"code": "fisik", "name": "Fisik", "name_en": "Physical"},
    {"code": "intelektual", "name": "Intelektual", "name_en": "Intellectual"},
    {"code": "mental", "name": "Mental", "name_en": "Mental"},
    {"code": "sensorik_netra", "name": "Sensorik netra", "name_en": "Sensory: blind"},
    {"code": "sensorik_rungu", "name": "Sensorik rungu", "name_en": "Sensory: deaf"},
    {"code": "sensorik_wicara", "name": "Sensorik wicara", "name_en": "Sensory: speech"},
    {"code": "ganda", "name": "Ganda", "name_en": "Multiple"}]
DEFAULT_CATEGORIES = [
    {"code": "lansia", "name": "Lansia", "name_en": "Older person", "queue_category": "lansia"},
    {"code": "disabilitas", "name": "Penyandang disabilitas", "name_en": "Person with disability",
     "queue_category": "disabilitas", "kinds": DISABILITY_KINDS},
    {"code": "ibu_hamil", "name": "Ibu hamil", "name_en": "Pregnant woman",
     "queue_category": "ibu_hamil"},
    # Nursing mothers and other visitors get the generic group: mapping them to ibu_hamil or
    # disabilitas would record health data they never gave.
    {"code": "ibu_menyusui", "name": "Ibu menyusui", "name_en": "Nursing mother",
     "queue_category": "rentan_lain"},
    {"code": "anak", "name": "Anak", "name_en": "Child", "queue_category": "anak", "child": True},
    {"code": "lainnya", "name": "Lainnya", "name_en": "Other", "queue_category": "rentan_lain"}]
DEFAULT_GENDERS = [{"code": "L", "name": "Laki-laki", "name_en": "Male"},
                   {"code": "P", "name": "Perempuan", "name_en": "Female"}]
DEFAULT_EDUCATION = [
    {"code": "sd", "name": "SD ke bawah", "name_en": "Primary or less"},
    {"code": "smp", "name": "SMP", "name_en": "Junior high"},
    {"code": "sma", "name": "SMA", "name_en": "Senior high"},
    {"code": "diploma", "name": "D1/D2/D3/D4", "name_en": "Diploma"},
    {"code": "s1", "name": "S1", "name_en": "Bachelor"},
    {"code": "s2", "name": "S2 ke atas", "name_en": "Master or higher"}]
DEFAULT_OCCUPATIONS = [
    {"code": "pns", "name": "PNS/ASN", "name_en": "Civil servant"},
    {"code": "tni_polri", "name": "TNI/Polri", "name_en": "Military/police"},
    {"code": "swasta", "name": "Pegawai swasta", "name_en": "Private employee"},
    {"code": "wirausaha", "name": "Wirausaha", "name_en": "Self-employed"},
    {"code": "pelajar", "name": "Pelajar/Mahasiswa", "name_en": "Student"},
    {"code": "lainnya", "name": "Lainnya", "name_en": "Other"}]


def _guest_book(section: dict, queue_categories: dict, services: dict) -> GuestBookSettings:
    path = "guest_book"
    categories: dict[str, GuestCategory] = {}
    for index, item in enumerate(get(section, "categories", path, list, DEFAULT_CATEGORIES)):
        where = f"{path}.categories[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(where, "must be a mapping with code, name and queue_category")
        code = get(item, "code", where, str, required=True)
        if code in categories:
            raise ConfigError(f"{where}.code", f"duplicate category {code!r}")
        queue_category = get(item, "queue_category", where, str, required=True)
        if queue_category not in queue_categories:
            raise ConfigError(f"{where}.queue_category",
                              f"names no category in categories: {queue_category!r}")
        name = get(item, "name", where, str, required=True)
        categories[code] = GuestCategory(
            code, name, get(item, "name_en", where, str, name), queue_category,
            options(item.get("kinds") or [], f"{where}.kinds"),
            get(item, "child", where, bool, False))
    if not categories:
        raise ConfigError(f"{path}.categories", "at least one category is required")
    retention = get(section, "retention_days", path, int, 365)
    if retention < 1:
        raise ConfigError(f"{path}.retention_days", "must be at least 1")
    nik_required = get(section, "nik_required_for", path, list, [])
    for index, code in enumerate(nik_required):
        if code not in services:
            raise ConfigError(f"{path}.nik_required_for[{index}]",
                              f"names no service in services: {code!r}")
    return GuestBookSettings(
        categories, options(get(section, "aids", path, list, DEFAULT_AIDS), f"{path}.aids"),
        retention, get(section, "legal_basis", path, str, LEGAL_BASIS),
        get(section, "legal_basis_en", path, str, LEGAL_BASIS_EN),
        get(section, "child_consent", path, str, CHILD_CONSENT),
        get(section, "child_consent_en", path, str, CHILD_CONSENT_EN), frozenset(nik_required))


def _question(element: Element, item: Any) -> Question:
    where = f"survey.questions.{element.value}"
    base = DEFAULT_QUESTIONS[element]
    if not isinstance(item, dict):
        raise ConfigError(where, "must be a mapping with question and answers")
    answers = tuple(get(item, "answers", where, list, list(base.answers)))
    answers_en = tuple(get(item, "answers_en", where, list, list(base.answers_en)))
    for key, labels in (("answers", answers), ("answers_en", answers_en)):
        if len(labels) != 4 or not all(isinstance(a, str) and a.strip() for a in labels):
            raise ConfigError(f"{where}.{key}", "must be four labels, for the values 1 to 4")
    return Question(element, get(item, "name", where, str, base.name),
                    get(item, "question", where, str, base.question), answers,
                    get(item, "name_en", where, str, base.name_en),
                    get(item, "question_en", where, str, base.question_en), answers_en)


def _survey(section: dict) -> SurveySettings:
    given = get(section, "questions", "survey", dict, {})
    known = {element.value: element for element in Element}
    for key in given:
        if key not in known:
            raise ConfigError(f"survey.questions.{key}",
                              f"unknown SKM element; the 9 are: {', '.join(known)}")
    questions = {element: _question(element, given[element.value])
                 if element.value in given else DEFAULT_QUESTIONS[element]
                 for element in Element}
    reset = get(section, "reset_seconds", "survey", int, 20)
    if not 5 <= reset <= 600:
        raise ConfigError("survey.reset_seconds", "must be between 5 and 600")
    weight = str(section.get("weight", "exact"))
    if weight not in {w.value for w in Weighting}:
        raise ConfigError("survey.weight", f"must be 'exact' or '0.111', got {weight!r}")
    return SurveySettings(
        questions, options(get(section, "genders", "survey", list, DEFAULT_GENDERS),
                           "survey.genders"),
        options(get(section, "education", "survey", list, DEFAULT_EDUCATION), "survey.education"),
        options(get(section, "occupations", "survey", list, DEFAULT_OCCUPATIONS),
                "survey.occupations"), reset, Weighting(weight))


def _ppid(section: dict) -> PpidSettings:
    settings = PpidSettings(get(section, "statutory_working_days", "ppid", int, 10),
                            get(section, "extension_working_days", "ppid", int, 7),
                            get(section, "day_one", "ppid", str, "next_working_day"),
                            get(section, "objection_working_days", "ppid", int, 30))
    if settings.day_one not in DAY_ONE_CHOICES:
        raise ConfigError("ppid.day_one", f"must be one of {', '.join(DAY_ONE_CHOICES)}, "
                                          f"got {settings.day_one!r}")
    if settings.objection_working_days < 1:
        raise ConfigError("ppid.objection_working_days", "must be at least 1")
    if settings.statutory_working_days < 1:
        raise ConfigError("ppid.statutory_working_days", "must be at least 1")
    if settings.extension_working_days < 0:
        raise ConfigError("ppid.extension_working_days", "must be 0 or more")
    return settings


def _holidays(items: list) -> dict[date, str]:
    result: dict[date, str] = {}
    for index, item in enumerate(items):
        where = f"holidays[{index}]"
        if isinstance(item, dict):
            day = as_date(item.get("date"), f"{where}.date")
            if day is None:
                raise ConfigError(f"{where}.date", "is required")
            result[day] = get(item, "name", where, str, "")
        else:
            result[as_date(item, where)] = ""
    return result


def parse_procedure_config(data: dict, queue_categories: dict,
                           services: dict | None = None) -> ProcedureConfig:
    """Validate the procedure, guest_book, ppid, survey and holidays sections."""
    return ProcedureConfig(
        procedure=parse_procedure(data.get("procedure")),
        guest_book=_guest_book(get(data, "guest_book", "", dict, {}), queue_categories,
                               services or {}),
        ppid=_ppid(get(data, "ppid", "", dict, {})),
        survey=_survey(get(data, "survey", "", dict, {})),
        holidays=_holidays(get(data, "holidays", "", list, [])))


def config_section(data: dict, core: dict) -> dict:
    """The procedure field of Config (a ConfigSection for app.py)."""
    return {"procedure": parse_procedure_config(data, core["categories"], core.get("services"))}

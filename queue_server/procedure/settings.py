"""The procedure as data: its identity and steps from config.yaml, checked at start-up."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from queue_server.auth.models import Role
from queue_server.platform.config import ConfigError
from queue_server.platform.config_values import english_list

VISITOR = "visitor"
"""The role of a step the visitor does; staff listed in recorded_by record it."""
STAFF_ROLES = tuple(role.value for role in Role
                    if role not in (Role.DISPLAY, Role.AGENT, Role.SUPERVISOR, Role.KIOSK))
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class RecordKind(enum.Enum):
    """An output record a step produces, listable per day and exportable."""

    GUEST_LIST = "guest_list"  # daftar tamu
    PRIORITY_QUEUE_LIST = "priority_queue_list"  # daftar antrean prioritas
    REQUEST_LIST = "request_list"  # daftar permohonan
    SERVICE_RESULT = "service_result"  # hasil layanan
    INFORMATION_RECEIPT = "information_receipt"  # tanda terima informasi
    SATISFACTION_SURVEY = "satisfaction_survey"  # survei kepuasan layanan


# A record needs the records before it: a ticket needs the guest's category, and so on.
RECORD_NEEDS = {
    RecordKind.PRIORITY_QUEUE_LIST: RecordKind.GUEST_LIST,
    RecordKind.SERVICE_RESULT: RecordKind.REQUEST_LIST,
    RecordKind.INFORMATION_RECEIPT: RecordKind.REQUEST_LIST,
}


class EscortKind(enum.Enum):
    """Which way security walks a visitor."""

    IN = "in"
    OUT = "out"


@dataclass(frozen=True)
class Identity:
    """The procedure document's identity; it heads the timeline and every export."""

    name: str = ""
    number: str = ""
    made: date | None = None
    revised: date | None = None
    effective: date | None = None
    approved_by: str = ""
    approver_name: str = ""
    approver_nip: str = ""
    note: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Step:
    """One step: who does it, its standard time, equipment and output."""

    position: int
    key: str
    name: str
    name_en: str
    role: str
    """A staff role value, or "visitor"."""
    recorded_by: tuple[Role, ...]
    """The staff roles that may complete it: the role itself, or for visitor steps the list."""
    minutes: int | None = None
    working_days: tuple[int, int] | None = None
    """Internal target range in working days; a deviation starts after the upper bound."""
    equipment: tuple[str, ...] = ()
    output: str = ""
    equipment_en: tuple[str, ...] = ()
    """The equipment's English names, item by item (equipment_en in config.yaml)."""
    output_en: str = ""
    records: tuple[RecordKind, ...] = ()
    escort: EscortKind | None = None
    visitor_present: bool = True
    """False for steps done without the visitor (PPID work): the visitor may go home."""
    note: str = ""
    short_name: str = ""
    """A few words for cards and lists; `name` is the SOP's full sentence."""
    short_name_en: str = ""
    skip_by: tuple[Role, ...] = ()
    """Roles that may mark the step not needed, with a reason (no deviation then)."""

    @property
    def standard_seconds(self) -> int | None:
        return self.minutes * 60 if self.minutes is not None else None

    def local_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def equipment_names(self, language: str) -> dict[str, str]:
        """Each equipment item (as stored in ticks) with its name in the language."""
        shown = self.equipment_en if language == "en" and self.equipment_en else self.equipment
        return dict(zip(self.equipment, shown, strict=True))

    def local_output(self, language: str) -> str:
        return self.output_en if language == "en" and self.output_en else self.output

    def standard_text(self, language: str = "id") -> str:
        if self.minutes is not None:
            return f"{self.minutes} {'menit' if language == 'id' else 'min'}"
        if self.working_days is not None:
            low, high = self.working_days
            unit = "hari kerja" if language == "id" else "working days"
            joiner = "s.d." if language == "id" else "to"
            return f"{high} {unit}" if low == high else f"{low} {joiner} {high} {unit}"
        return "-"


@dataclass(frozen=True)
class Option:
    """A choice with a code and its names (aids, profile answers, disability kinds)."""

    code: str
    name: str
    name_en: str


ANNOUNCE_CHOICES = ("unescorted", "always", "never")
"""procedure.announce_call: when the counter's call of a visit's ticket is shown and spoken
on the TV: only when staff did not bring the visitor to the counter (the default), always,
or never."""


@dataclass(frozen=True)
class Procedure:
    """The steps in order and the document they come from."""

    identity: Identity = field(default_factory=Identity)
    steps: tuple[Step, ...] = ()
    announce_call: str = "unescorted"

    @property
    def enabled(self) -> bool:
        return bool(self.steps)

    def step(self, key: str) -> Step | None:
        return next((step for step in self.steps if step.key == key), None)

    def step_with(self, kind: RecordKind) -> Step | None:
        return next((step for step in self.steps if kind in step.records), None)


def get(section: dict, key: str, path: str, kind, default=None, required=False):
    """A typed value of a config mapping; ConfigError naming the key otherwise."""
    full = f"{path}.{key}" if path else key
    if key not in section or section[key] is None:
        if required:
            raise ConfigError(full, "is required")
        return default
    value = section[key]
    checks = {int: lambda v: isinstance(v, int) and not isinstance(v, bool),
              bool: lambda v: isinstance(v, bool), str: lambda v: isinstance(v, str),
              list: lambda v: isinstance(v, list), dict: lambda v: isinstance(v, dict)}
    if not checks[kind](value):
        raise ConfigError(full, f"must be {kind.__name__}, got {value!r}")
    return value


def as_date(value: Any, path: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(path, f"must be a date like 2024-05-07, got {value!r}") from None


def options(items: Any, path: str) -> tuple[Option, ...]:
    """A list of codes or of {code, name, name_en} mappings."""
    if not isinstance(items, list):
        raise ConfigError(path, "must be a list")
    result: list[Option] = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if isinstance(item, str):
            item = {"code": re.sub(r"\W+", "_", item.lower()).strip("_"), "name": item}
        if not isinstance(item, dict):
            raise ConfigError(where, "must be text or a mapping with code and name")
        code = get(item, "code", where, str, required=True)
        name = get(item, "name", where, str, required=True)
        if any(option.code == code for option in result):
            raise ConfigError(f"{where}.code", f"duplicate code {code!r}")
        result.append(Option(code, name, get(item, "name_en", where, str, name)))
    return tuple(result)


def _identity(section: dict) -> Identity:
    path = "procedure.identity"
    return Identity(
        name=get(section, "name", path, str, ""),
        number=get(section, "number", path, str, ""),
        made=as_date(section.get("made"), f"{path}.made"),
        revised=as_date(section.get("revised"), f"{path}.revised"),
        effective=as_date(section.get("effective"), f"{path}.effective"),
        approved_by=get(section, "approved_by", path, str, ""),
        approver_name=get(section, "approver_name", path, str, ""),
        approver_nip=str(section.get("approver_nip") or ""),
        note=get(section, "note", path, str, ""),
        note_en=get(section, "note_en", path, str, ""))


def _standard(item: dict, path: str) -> tuple[int | None, tuple[int, int] | None]:
    minutes = get(item, "minutes", path, int, None)
    days = item.get("working_days")
    if minutes is not None and days is not None:
        raise ConfigError(path, "give minutes or working_days, not both")
    if minutes is not None and minutes < 1:
        raise ConfigError(f"{path}.minutes", "must be at least 1")
    if days is None:
        return minutes, None
    if isinstance(days, int) and not isinstance(days, bool):
        days = [days, days]
    if (not isinstance(days, list) or len(days) != 2
            or not all(isinstance(d, int) and not isinstance(d, bool) for d in days)
            or not 0 <= days[0] <= days[1]):
        raise ConfigError(f"{path}.working_days",
                          f"must be a whole number or [low, high] with 0 <= low <= high, "
                          f"got {days!r}")
    return None, (days[0], days[1])


def _role(item: dict, path: str) -> tuple[str, tuple[Role, ...]]:
    role = get(item, "role", path, str, required=True)
    allowed = (VISITOR, *STAFF_ROLES)
    if role not in allowed:
        raise ConfigError(f"{path}.role", f"must be one of {', '.join(allowed)}, got {role!r}")
    recorded = get(item, "recorded_by", path, list, None)
    if role == VISITOR and not recorded:
        raise ConfigError(f"{path}.recorded_by",
                          "a visitor's step needs the staff roles that record it")
    if role != VISITOR:
        if recorded:
            raise ConfigError(f"{path}.recorded_by", "only a visitor's step has recorded_by")
        return role, (Role(role),)
    for index, value in enumerate(recorded):
        if value not in STAFF_ROLES:
            raise ConfigError(f"{path}.recorded_by[{index}]",
                              f"must be one of {', '.join(STAFF_ROLES)}, got {value!r}")
    return role, tuple(Role(value) for value in recorded)


def _records(item: dict, path: str, seen: set[RecordKind]) -> tuple[RecordKind, ...]:
    result = []
    for index, value in enumerate(get(item, "records", path, list, [])):
        try:
            kind = RecordKind(value)
        except ValueError:
            known = ", ".join(k.value for k in RecordKind)
            raise ConfigError(f"{path}.records[{index}]",
                              f"unknown record {value!r}; known: {known}") from None
        if kind in seen or kind in result:
            raise ConfigError(f"{path}.records[{index}]", f"{value!r} is made by an earlier step")
        needed = RECORD_NEEDS.get(kind)
        if needed is not None and needed not in seen and needed not in result:
            raise ConfigError(f"{path}.records[{index}]",
                              f"{value!r} needs {needed.value!r} in this or an earlier step")
        result.append(kind)
    return tuple(result)


def _step(item: Any, position: int, seen_keys: set[str], seen: set[RecordKind]) -> Step:
    path = f"procedure.steps[{position - 1}]"
    if not isinstance(item, dict):
        raise ConfigError(path, "must be a mapping with key, name and role")
    key = get(item, "key", path, str, required=True)
    if not _KEY.match(key):
        raise ConfigError(f"{path}.key", f"must be lower-case letters, digits or _, got {key!r}")
    if key in seen_keys:
        raise ConfigError(f"{path}.key", f"duplicate step key {key!r}")
    name = get(item, "name", path, str, required=True)
    role, recorded_by = _role(item, path)
    minutes, days = _standard(item, path)
    records = _records(item, path, seen)
    escort = get(item, "escort", path, str, None)
    if escort is not None and escort not in ("in", "out"):
        raise ConfigError(f"{path}.escort", f"must be 'in' or 'out', got {escort!r}")
    present = get(item, "visitor_present", path, bool, True)
    if not present and role == VISITOR:
        raise ConfigError(f"{path}.visitor_present", "a visitor's own step needs the visitor")
    skip_by = _skip_by(item, path, records)
    seen_keys.add(key)
    seen.update(records)
    equipment = tuple(str(e) for e in get(item, "equipment", path, list, []))
    output = get(item, "output", path, str, "")
    return Step(position=position, key=key, name=name, name_en=get(item, "name_en", path, str,
                                                                    name),
                role=role, recorded_by=recorded_by, minutes=minutes, working_days=days,
                equipment=equipment, equipment_en=english_list(item, "equipment", path, equipment),
                output=output, output_en=get(item, "output_en", path, str, output),
                records=records,
                escort=EscortKind(escort) if escort else None, visitor_present=present,
                note=get(item, "note", path, str, ""),
                short_name=get(item, "short_name", path, str, name),
                short_name_en=get(item, "short_name_en", path, str,
                                  get(item, "name_en", path, str, name)),
                skip_by=skip_by)


def _skip_by(item: dict, path: str, records: tuple[RecordKind, ...]) -> tuple[Role, ...]:
    roles = get(item, "skip_by", path, list, [])
    if roles and records:
        raise ConfigError(f"{path}.skip_by", "a step that writes records cannot be skipped")
    for index, value in enumerate(roles):
        if value not in STAFF_ROLES:
            raise ConfigError(f"{path}.skip_by[{index}]",
                              f"must be one of {', '.join(STAFF_ROLES)}, got {value!r}")
    return tuple(Role(value) for value in roles)


def parse_procedure(section: Any) -> Procedure:
    """Validate the `procedure:` section; none at all means no procedure (pages say so)."""
    if section is None:
        return Procedure()
    if not isinstance(section, dict):
        raise ConfigError("procedure", "must be a mapping with identity and steps")
    items = get(section, "steps", "procedure", list, required=True)
    if not items:
        raise ConfigError("procedure.steps", "at least one step is required")
    seen_keys: set[str] = set()
    seen: set[RecordKind] = set()
    steps = tuple(_step(item, index, seen_keys, seen) for index, item in enumerate(items, 1))
    if steps[-1].visitor_present is False:
        raise ConfigError("procedure.steps", "the last step must be done with the visitor")
    announce = get(section, "announce_call", "procedure", str, "unescorted")
    if announce not in ANNOUNCE_CHOICES:
        raise ConfigError("procedure.announce_call",
                          f"must be one of {', '.join(ANNOUNCE_CHOICES)}, got {announce!r}")
    return Procedure(_identity(get(section, "identity", "procedure", dict, {})), steps,
                     announce)

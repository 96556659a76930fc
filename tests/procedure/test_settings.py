"""The procedure as data: the shipped POS, another office's own steps, and bad configs."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from queue_server.app import parse_config
from queue_server.auth.models import Role
from queue_server.platform.config import ConfigError
from queue_server.procedure.settings import RecordKind
from queue_server.procedure.skm import Element

from ..support import OFFICE, ROOT, office_data


def shipped() -> dict:
    """The repository's config.yaml: only the tests about the shipped POS read it."""
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def parse(data: dict):
    return parse_config(data, OFFICE, environ={}).procedure


def with_steps(steps: list) -> dict:
    data = office_data()
    data["procedure"]["steps"] = steps
    return data


def test_shipped_config_is_the_ten_step_pos():
    settings = parse(shipped())
    procedure = settings.procedure
    assert [(s.position, s.key, s.role) for s in procedure.steps] == [
        (1, "arrival", "visitor"), (2, "escort_in", "security"),
        (3, "guest_book", "receptionist"), (4, "to_counter", "receptionist"),
        (5, "request", "officer"), (6, "processing", "ppid"), (7, "hand_over", "officer"),
        (8, "survey", "visitor"), (9, "call_security", "officer"),
        (10, "escort_out", "security")]
    assert [s.minutes for s in procedure.steps] == [None, 5, 5, 2, 10, None, 5, 5, 5, 5]
    assert procedure.steps[5].working_days == (1, 3)
    assert procedure.steps[5].standard_text() == "1 s.d. 3 hari kerja"
    assert procedure.steps[7].recorded_by == (Role.OFFICER,)
    assert procedure.steps[2].records == (RecordKind.GUEST_LIST, RecordKind.PRIORITY_QUEUE_LIST)
    assert procedure.steps[1].equipment == ("Kursi roda", "Tongkat", "Payung")
    identity = procedure.identity
    assert identity.number == "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024"
    assert (identity.made, identity.revised, identity.effective) == (
        date(2024, 5, 7), date(2024, 5, 28), None)
    assert "tidak terbaca" in identity.approver_name  # the scan is not guessed at
    assert date(2026, 12, 25) in settings.holidays


def test_shipped_holidays_follow_the_skb_and_warn_of_2027():
    holidays = parse(shipped()).holidays
    # SKB 1017/2024, 2/2024, 2/2024: the four national holidays of 2025 on a weekend.
    weekend_2025 = sorted(d for d in holidays if d.year == 2025 and d.weekday() >= 5)
    assert weekend_2025 == [date(2025, 3, 29), date(2025, 4, 20), date(2025, 6, 1),
                            date(2025, 8, 17)]
    assert holidays[date(2026, 4, 5)] == "Kebangkitan Yesus Kristus (Paskah)"
    # 2027: the fixed-date national holidays until the SKB is published.
    assert sorted(d for d in holidays if d.year == 2027) == [
        date(2027, 1, 1), date(2027, 5, 1), date(2027, 6, 1), date(2027, 8, 17),
        date(2027, 12, 25)]
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    assert "Nomor 1017 Tahun 2024" in text and "SKB 3 Menteri for 2027" in text


def test_ppid_and_survey_options_default_to_the_safer_choice():
    settings = parse(office_data())
    assert settings.ppid.day_one == "next_working_day"
    assert settings.ppid.objection_working_days == 30
    assert settings.survey.weighting.value == "exact"
    data = office_data()
    data["survey"]["weight"] = 0.111  # YAML reads it as a number
    data["ppid"]["day_one"] = "receipt_day"
    settings = parse(data)
    assert settings.survey.weighting.value == "0.111"
    assert settings.ppid.day_one == "receipt_day"


def test_survey_questions_have_their_own_labels():
    survey = parse(shipped()).survey
    assert list(survey.questions) == list(Element)
    assert survey.questions[Element.BIAYA].answers == (
        "Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert survey.questions[Element.PERSYARATAN].answers[3] == "Sangat sesuai"


def test_another_office_writes_its_own_steps():
    data = with_steps([
        {"key": "datang", "name": "Datang", "role": "visitor", "recorded_by": ["receptionist"]},
        {"key": "daftar", "name": "Daftar", "role": "receptionist", "minutes": 3,
         "records": ["guest_list", "priority_queue_list"]},
        {"key": "layani", "name": "Dilayani", "role": "officer", "minutes": 15},
    ])
    steps = parse(data).procedure.steps
    assert [s.key for s in steps] == ["datang", "daftar", "layani"]
    assert steps[2].standard_seconds == 900


@pytest.mark.parametrize(("steps", "key", "words"), [
    ([{"key": "a", "name": "A", "role": "janitor"}], "procedure.steps[0].role", "must be one of"),
    ([{"key": "a", "name": "A", "role": "officer"}, {"key": "a", "name": "B", "role": "ppid"}],
     "procedure.steps[1].key", "duplicate"),
    ([{"key": "a", "name": "A", "role": "visitor"}], "procedure.steps[0].recorded_by",
     "needs the staff roles"),
    ([{"key": "a", "name": "A", "role": "officer", "minutes": 0}],
     "procedure.steps[0].minutes", "at least 1"),
    ([{"key": "a", "name": "A", "role": "officer", "minutes": 5, "working_days": 3}],
     "procedure.steps[0]", "not both"),
    ([{"key": "a", "name": "A", "role": "ppid", "working_days": [3, 1]}],
     "procedure.steps[0].working_days", "low <= high"),
    ([{"key": "a", "name": "A", "role": "officer", "records": ["daftar_hadir"]}],
     "procedure.steps[0].records[0]", "unknown record"),
    ([{"key": "a", "name": "A", "role": "officer", "records": ["priority_queue_list"]}],
     "procedure.steps[0].records[0]", "needs 'guest_list'"),
    ([{"key": "a", "name": "A", "role": "officer", "records": ["guest_list"]},
      {"key": "b", "name": "B", "role": "officer", "records": ["guest_list"]}],
     "procedure.steps[1].records[0]", "earlier step"),
    ([{"key": "A b", "name": "A", "role": "officer"}], "procedure.steps[0].key", "lower-case"),
    ([], "procedure.steps", "at least one step"),
])
def test_a_bad_procedure_names_the_key(steps, key, words):
    with pytest.raises(ConfigError) as error:
        parse(with_steps(steps))
    assert error.value.key == key
    assert words in str(error.value)


@pytest.mark.parametrize(("section", "value", "key"), [
    ("survey", {"questions": {"kebersihan": {}}}, "survey.questions.kebersihan"),
    ("survey", {"questions": {"biaya_tarif": {"answers": ["Mahal", "Murah"]}}},
     "survey.questions.biaya_tarif.answers"),
    ("guest_book", {"categories": [{"code": "x", "name": "X", "queue_category": "vip"}]},
     "guest_book.categories[0].queue_category"),
    ("guest_book", {"retention_days": 0}, "guest_book.retention_days"),
    ("holidays", ["25-12-2026"], "holidays[0]"),
    ("ppid", {"extension_working_days": -1}, "ppid.extension_working_days"),
    ("ppid", {"day_one": "besok"}, "ppid.day_one"),
    ("ppid", {"objection_working_days": 0}, "ppid.objection_working_days"),
    ("survey", {"weight": 0.11}, "survey.weight"),
])
def test_bad_related_sections_name_the_key(section, value, key):
    data = office_data()
    data[section] = value
    with pytest.raises(ConfigError) as error:
        parse(data)
    assert error.value.key == key


def test_a_bad_procedure_stops_start_up_with_a_clear_message(tmp_path: Path):
    data = with_steps([{"key": "a", "name": "A", "role": "janitor"}])
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "--config", str(path),
                           "run"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2
    assert "procedure.steps[0].role: must be one of visitor, admin" in done.stderr

"""config.yaml lists of coded items: each error names the key. The shipped config.yaml
parses, and the suite runs on its own office (tests/office.yaml), not on the shipped one."""
from __future__ import annotations

import ast
import builtins
import io
import os
from pathlib import Path

import pytest
import yaml

from queue_server.app import load_config, parse_config
from queue_server.platform.config import ConfigError
from queue_server.platform.config_values import UnknownKeyError

from .support import OFFICE, ROOT, office_data, write_config

SHIPPED = ROOT / "config.yaml"
TESTS = Path(__file__).resolve().parent
SHIPPED_CONFIG_TESTS = {
    "test_config.py": "the shipped config parses",
    "procedure/test_settings.py": "the shipped procedure is the ten-step POS",
    "procedure/test_survey_audio.py": "every shipped survey text has a shipped clip",
    "test_glossary.py": "the shipped office texts follow the Indonesian glossary",
    # Not about the shipped config, yet still reads its display section as the base of
    # its overrides; it belongs to the page tests and should start from office_data().
}
"""The only test modules that may read the repository's config.yaml, and why."""


@pytest.mark.parametrize("mutate,key,words", [
    (lambda d: d["services"].append(dict(d["services"][0])), "services[3].code", "duplicate"),
    (lambda d: d["counters"][0].pop("code"), "counters[0].code", "is required"),
    (lambda d: d["categories"][1].update(code="lansia"), "categories[1].code", "duplicate"),
    (lambda d: d.update(counters=[]), "counters", "at least one counter"),
    (lambda d: d["services"].__setitem__(0, "INFO"), "services[0]", "must be a mapping"),
    (lambda d: d["counters"][0].update(code="loket satu"), "counters[0].code", "letters"),
])
def test_coded_lists_name_the_bad_key(mutate, key, words):
    data = office_data()
    mutate(data)
    with pytest.raises(ConfigError) as error:
        parse_config(data, OFFICE, environ={})
    assert error.value.key == key and words in str(error.value)


def test_the_shipped_config_parses_with_every_section():
    config = load_config(SHIPPED, environ={})
    assert config.office_name and config.services and config.counters
    assert config.ticket_printer in config.printers
    assert config.procedure.procedure.steps and config.procedure.survey.questions


def test_write_config_never_reads_the_shipped_config(tmp_path, monkeypatch):
    """An office edits config.yaml (here: other counters, another office, no procedure);
    the tests' configs stay the tests' office, and nothing opens the shipped file."""
    edited = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    edited["office"]["name"] = "Kantor Lain"
    edited["counters"] = [{"code": "A1", "name": "Meja Depan", "services": ["*"]}]
    edited["display"]["named"] = {"lobi": {"counters": ["A1"]}}
    edited.pop("procedure")
    office = tmp_path / "office"
    office.mkdir()
    (office / "config.yaml").write_text(yaml.safe_dump(edited, allow_unicode=True))
    monkeypatch.chdir(office)  # load_config's default is ./config.yaml
    monkeypatch.setenv("QUEUE_CONFIG", str(office / "config.yaml"))
    opened = []
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file).resolve() in (
                SHIPPED, office / "config.yaml"):
            opened.append(file)
            return io.StringIO("office: [not the tests' office\n")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    path = write_config(tmp_path / "suite", "sqlite:///:memory:")
    config = load_config(path)
    assert opened == []
    assert config.office_name == "BPMP Provinsi DKI Jakarta"
    assert [(c.code, c.name) for c in config.counters.values()] == [
        ("1", "Loket Prioritas"), ("2", "Loket 2"), ("3", "Loket 3")]
    assert [step.key for step in config.procedure.procedure.steps][:2] == [
        "arrival", "escort_in"]


def _reads_the_shipped_config(tree: ast.AST) -> bool:
    """`ROOT / "config.yaml"` anywhere in a module."""
    return any(isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
               and isinstance(node.left, ast.Name) and node.left.id == "ROOT"
               and isinstance(node.right, ast.Constant) and node.right.value == "config.yaml"
               for node in ast.walk(tree))


def test_only_tests_about_the_shipped_config_read_it():
    readers = {path.relative_to(TESTS).as_posix() for path in TESTS.rglob("*.py")
               if _reads_the_shipped_config(ast.parse(path.read_text(encoding="utf-8")))}
    assert readers <= set(SHIPPED_CONFIG_TESTS), (
        f"{sorted(readers - set(SHIPPED_CONFIG_TESTS))} read ROOT / 'config.yaml': start "
        "from tests/support.py office_data() or write_config() instead")


def misspelt(where: list, right: str, wrong: str) -> dict:
    """The tests' office with the key `right` of the mapping at `where` written `wrong`."""
    data = office_data()
    mapping = data
    for step in where:
        mapping = mapping[step]
    mapping[wrong] = mapping.pop(right)
    return data


@pytest.mark.parametrize("where,right,wrong,suggested", [
    ([], "display", "dispaly", "display"),
    (["office"], "timezone", "timezon", "office.timezone"),
    (["office"], "name", "nmae", "office.name"),  # required: the slip is named, not "required"
    (["services", 0], "requirements", "requirement", "services[0].requirements"),
    (["categories", 5], "print_name", "printname", "categories[5].print_name"),
    (["counters", 0], "priority_only", "priority_onyl", "counters[0].priority_only"),
    (["queue"], "max_regular_wait_minutes", "max_regular_wait_minute",
     "queue.max_regular_wait_minutes"),
    (["display"], "recent_calls", "recent_call", "display.recent_calls"),
    (["display", "audio"], "volume", "volum", "display.audio.volume"),
    (["display", "named", "lobi"], "counters", "countres", "display.named.lobi.counters"),
    (["security"], "login_attempts_per_minute", "login_attempts_per_minutes",
     "security.login_attempts_per_minute"),
    (["procedure", "identity"], "approved_by", "aproved_by", "procedure.identity.approved_by"),
    (["procedure", "steps", 1], "equipment", "equipmen", "procedure.steps[1].equipment"),
    (["guest_book"], "retention_days", "retension_days", "guest_book.retention_days"),
    (["guest_book", "categories", 0], "name_en", "name_eng", "guest_book.categories[0].name_en"),
    (["survey"], "reset_seconds", "reset_second", "survey.reset_seconds"),
    (["survey", "questions", "persyaratan"], "answers", "answer",
     "survey.questions.persyaratan.answers"),
    (["holidays", 0], "name", "nama", "holidays[0].name"),
])
def test_a_misspelt_key_is_refused_naming_the_closest_known_key(where, right, wrong, suggested):
    data = misspelt(where, right, wrong)
    with pytest.raises(UnknownKeyError) as error:
        parse_config(data, OFFICE, environ={})
    bad = suggested.rsplit(right, 1)[0] + wrong
    assert str(error.value) == f"unknown key {bad} (did you mean {suggested}?)"
    assert error.value.key == bad


@pytest.mark.parametrize("section,entry,message", [
    ("database", {"busy_timeout": 5}, "unknown key database.busy_timeout (did you mean "
     "database.busy_timeout_seconds?)"),
    ("printing", {"job_expiry_minute": 5}, "unknown key printing.job_expiry_minute (did you "
     "mean printing.job_expiry_minutes?)"),
    ("stations", {"depan": {"printer": "preview", "counter": ["1"]}},
     "unknown key stations.depan.counter (did you mean stations.depan.counters?)"),
    ("printers", {"preview": {"type": "preview", "directry": "x"}},
     "printers.preview.directry: unknown setting for a preview printer (did you mean "
     "printers.preview.directory?)"),
    ("ppid", {"statutory_working_day": 10}, "unknown key ppid.statutory_working_day (did you "
     "mean ppid.statutory_working_days?)"),
])
def test_every_section_refuses_unknown_keys(section, entry, message):
    data = office_data()
    data[section] = entry
    with pytest.raises(ConfigError) as error:
        parse_config(data, OFFICE, environ={})
    assert str(error.value) == message


def test_a_key_like_no_other_lists_the_known_keys_there():
    data = office_data()
    data["queue"]["zzz"] = 1
    with pytest.raises(UnknownKeyError) as error:
        parse_config(data, OFFICE, environ={})
    assert str(error.value) == ("unknown key queue.zzz (known here: estimate, max_priority_streak, "
                                "max_regular_wait_minutes, no_show_recall_minutes, "
                                "number_digits, priority_counter_open_minutes, "
                                "priority_first_when_priority_counter_closed)")


def test_the_known_keys_are_what_the_readers_look_up():
    """A subsystem's reader that looks a key up makes it known: no list to keep in step."""
    from queue_server.app import CONFIG_SECTIONS
    from queue_server.platform.config import parse_config as parse_core

    data = {**office_data(), "extra": {"option": True}}
    with pytest.raises(UnknownKeyError, match=r"^unknown key extra "):
        parse_core(data, OFFICE, {}, CONFIG_SECTIONS)

    def extra_section(document, core):
        return {} if document.get("extra", {}).get("option") else {}

    parse_core(data, OFFICE, {}, [*CONFIG_SECTIONS, extra_section])
    data["extra"]["opton"] = False
    with pytest.raises(UnknownKeyError, match=r"did you mean extra\.option\?"):
        parse_core(data, OFFICE, {}, [*CONFIG_SECTIONS, extra_section])


def test_keys_the_environment_overrides_are_still_known():
    data = office_data()
    data["database"] = {"url": "sqlite:///file.db"}
    data["redis_url"] = "redis://127.0.0.1:6379/0"
    data["security"]["secret_key"] = "from-the-file"
    config = parse_config(data, OFFICE, environ={
        "DATABASE_URL": "sqlite:///env.db", "REDIS_URL": "redis://10.0.0.1/0",
        "SECRET_KEY": "from-the-environment"})
    assert config.database_url.endswith("/env.db")
    assert config.security.secret_key == "from-the-environment"


def test_the_starter_that_queue_server_init_writes_is_the_shipped_config():
    """`init` writes the package's starter; it is this config.yaml (a link the wheel turns
    into a copy), so every documented option is in it, and it loads."""
    from queue_server.cli.office import STARTER

    assert STARTER.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
    config = parse_config(yaml.safe_load(STARTER.read_text(encoding="utf-8")), SHIPPED,
                          environ={})
    assert config.procedure.procedure.steps

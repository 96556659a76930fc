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

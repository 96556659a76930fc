"""The one label glossary: both languages complete, every key a page names exists, and the
regular queue has one name on the staff pages, the TV and the printed ticket."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from queue_server.web.i18n import STRINGS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "queue_server"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# t("key") or t('key', name=...) in a template; a key built with ~ is not a literal.
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
# label("key") or Staff.label("key", {...}) in a script.
SCRIPT_KEY = re.compile(r"""\blabel\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
# translate(language, "key") in Python.
PYTHON_KEY = re.compile(r"""\btranslate\([^,()]+,\s*["']([a-z0-9_]+)["']""")


def uses(pattern: re.Pattern, paths: list[Path]) -> list[tuple[str, str]]:
    """Every (file, key) the pattern finds in the files."""
    return [(str(path.relative_to(ROOT)), key) for path in paths
            for key in pattern.findall(path.read_text(encoding="utf-8"))]


def templates() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.html") if "templates" in path.parts)


def scripts() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.js") if "static" in path.parts)


def test_both_languages_have_the_same_keys():
    assert sorted(STRINGS) == ["en", "id"]
    assert set(STRINGS["id"]) - set(STRINGS["en"]) == set(), "missing in English"
    assert set(STRINGS["en"]) - set(STRINGS["id"]) == set(), "missing in Indonesian"


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_label_has_text(language):
    empty = [key for key, text in STRINGS[language].items()
             if not isinstance(text, str) or not text.strip()]
    assert empty == []


def test_placeholders_are_the_same_in_both_languages():
    differ = {key: (sorted(PLACEHOLDER.findall(text)),
                    sorted(PLACEHOLDER.findall(STRINGS["en"].get(key, ""))))
              for key, text in STRINGS["id"].items()}
    assert {key: pair for key, pair in differ.items() if pair[0] != pair[1]} == {}


def test_the_scan_finds_the_pages_keys():
    """A guard for the regexes below: they must see the keys the pages are known to use."""
    assert ("queue_server/web/templates/login.html", "log_in") in uses(TEMPLATE_KEY, templates())
    assert ("queue_server/tickets/static/counter.js", "call_back") in uses(SCRIPT_KEY, scripts())
    assert ("queue_server/printing/static/printer-panel.js", "reprint") in uses(
        SCRIPT_KEY, scripts())


def test_every_key_a_template_or_a_script_names_exists():
    python = sorted(PACKAGE.rglob("*.py"))
    named = uses(TEMPLATE_KEY, templates()) + uses(SCRIPT_KEY, scripts()) + uses(
        PYTHON_KEY, python)
    assert len(named) > 200
    assert [(where, key) for where, key in named if key not in STRINGS["id"]] == []


def test_keys_built_from_a_state_exist_for_every_state():
    """Pages build these keys from a value: label("print_job_" + job.status) and the like."""
    from printer.states import PrinterState
    from queue_server.auth.models import Role
    from queue_server.printing.models import PrintJobStatus
    from queue_server.procedure.models import EscortPlace, RequestStatus, VisitStatus
    from queue_server.procedure.settings import VISITOR
    from queue_server.tickets.models import TicketStatus

    built = ([f"role_{role.value}" for role in Role] + [f"role_{VISITOR}"]
             + [f"print_job_{status.value}" for status in PrintJobStatus]
             + [f"printer_state_{state.value}" for state in PrinterState]
             + [f"done_{place.value}" for place in EscortPlace]
             + [f"ticket_{status.value}" for status in TicketStatus
                if status not in (TicketStatus.WAITING, TicketStatus.CALLED)]
             + [f"queue_status_{status.value}" for status in TicketStatus]
             + [f"visit_status_{status.value}" for status in VisitStatus]
             + [f"request_status_{status.value}" for status in RequestStatus])
    assert [key for key in built if key not in STRINGS["id"]] == []


def test_the_regular_queue_has_one_name_everywhere():
    assert (STRINGS["id"]["regular"], STRINGS["en"]["regular"]) == ("Umum", "Regular")
    # The TV has its own small label table (it is a static page): the same words.
    tv = (ROOT / "display" / "i18n.js").read_text(encoding="utf-8")
    assert re.findall(r"""\bregular:\s*["']([^"']+)["']""", tv) == ["Umum", "Regular"]
    # The printed ticket names the line in capitals: ANTREAN UMUM.
    ticket = (ROOT / "printer" / "texts.py").read_text(encoding="utf-8")
    indonesian, english = re.findall(r'"general":\s*"([^"]+)"', ticket)
    assert indonesian == f"ANTREAN {STRINGS['id']['regular'].upper()}"
    assert english == f"{STRINGS['en']['regular'].upper()} QUEUE"


# Indonesian usage (KBBI, EYD V, the formal register of a government office). Each rule is
# checked on every Indonesian label, the printed texts and the office texts in config.yaml.
SERIAL_LIST = re.compile(r"\w+, (\w+(?: \w+){0,2}) (dan|atau) ")
"""A list of three or more without the comma before "dan": "a, b dan c" (EYD V: "a, b, dan c")."""
ENGLISH_WORDS = ("online", "offline", "preview", "printed", "completed", "active", "cancelled",
                 "loading", "queue", "counter", "ticket", "login", "logout", "password",
                 "username", "error", "not found", "regular", "connected")
"""English a visitor or an officer would meet on an Indonesian screen."""
TERMS = {
    r"\bantrian": "antrean", r"\bsilahkan": "silakan", r"\bnomer\b": "nomor",
    r"\breguler\b": "Umum (the regular queue has one name)", r"\bcacat\b": "disabilitas",
    r"\bke PPID\b": "kepada PPID (kepada for people and bodies)", r"\bupdate\b": "mutakhir",
    r"\bkadaluarsa|kadaluwarsa": "kedaluwarsa", r"\bjenis disabilitas": "ragam disabilitas",
    r"\btidak untuk peran": "bukan untuk peran", r"\bmenuju:": "menuju (no colon)",
    r"\blewat \{time\}": "terlambat {time}",
}


def indonesian_texts() -> dict[str, str]:
    """Every Indonesian text people read: labels, printed words, office texts in config.yaml."""
    import yaml

    from printer.texts import TEXTS
    from queue_server.procedure.skm import DEFAULT_QUESTIONS

    texts = {f"label {key}": text for key, text in STRINGS["id"].items()}
    texts.update({f"printer {key}": text for key, text in TEXTS["id"].items()})
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    texts["display.running_text"] = config["display"]["running_text"]
    texts.update({f"survey element {element.value}": question.name
                  for element, question in DEFAULT_QUESTIONS.items()})
    for step in config["procedure"]["steps"]:
        texts[f"step {step['key']}"] = step["name"]
        texts[f"step {step['key']} output"] = step.get("output", "")
    return texts


def test_lists_of_three_or_more_have_a_comma_before_dan():
    found = {where: text for where, text in indonesian_texts().items()
             if SERIAL_LIST.search(text)}
    assert found == {}


def test_the_rule_finds_a_list_without_the_serial_comma():
    assert SERIAL_LIST.search("Periksa daya, kabel dan kertas")
    assert not SERIAL_LIST.search("Periksa daya, kabel, dan kertas")
    assert not SERIAL_LIST.search("Catat permohonan dan serahkan kepada PPID")


def test_indonesian_screens_have_no_english_words():
    found = {where: word for where, text in indonesian_texts().items()
             for word in ENGLISH_WORDS
             if re.search(rf"\b{word}\b", PLACEHOLDER.sub("", text), re.IGNORECASE)}
    assert found == {}


def test_indonesian_texts_use_the_glossary_terms():
    found = {where: right for where, text in indonesian_texts().items()
             for wrong, right in TERMS.items() if re.search(wrong, text, re.IGNORECASE)}
    assert found == {}


def test_no_sentence_on_the_ticket_starts_with_a_numeral():
    """EYD V: a sentence does not start with a number written in figures."""
    from printer.texts import TEXTS

    ticket = {key: text for key, text in STRINGS["id"].items() if key.startswith("ticket_")}
    ticket.update({f"printer {key}": text for key, text in TEXTS["id"].items()})
    starts = re.compile(r"(^|[.!?]\s+)(\d|\{count\}|\{position\})")
    assert {key: text for key, text in ticket.items() if starts.search(text)} == {}


def test_the_guard_rules_catch_the_old_wording():
    """The rules above must see the wording issue 11 reported."""
    old = {"a": "Printer {name} offline sejak {since}", "b": "Silakan menuju: {counters}",
           "c": "Catat permohonan dan serahkan ke PPID", "d": "Jenis disabilitas"}
    assert any(re.search(rf"\b{w}\b", old["a"], re.IGNORECASE) for w in ENGLISH_WORDS)
    for text in (old["b"], old["c"], old["d"]):
        assert any(re.search(wrong, text, re.IGNORECASE) for wrong in TERMS), text


def test_survey_elements_are_cased_alike():
    """Each element is a title: every word but the conjunctions starts with a capital."""
    from queue_server.procedure.skm import DEFAULT_QUESTIONS

    small = {"dan", "atau"}
    found = [q.name for q in DEFAULT_QUESTIONS.values()
             if any(word[0].islower() for word in re.split(r"[\s,/]+", q.name)
                    if word and word not in small)]
    assert found == []


def test_issue_11_wording_is_in_place():
    """The phrases issue 11 asked for, where a rule above cannot say it."""
    labels = STRINGS["id"]
    assert labels["any_counter_short"] == labels["any_counter"] == "Loket mana saja"
    assert labels["live_disconnected"].startswith("Data mungkin belum mutakhir.")
    assert labels["ahead_count"] == "{count} nomor antrean di depan Anda"
    assert labels["forbidden_text"] == "Halaman ini bukan untuk peran {role}."
    assert labels["running_heading"] == "Langkah yang sedang berjalan"
    assert labels["visitor_goes_home"] == "Pengunjung pulang sementara"
    assert (labels["printer_state_online"], labels["printer_state_offline"]) == (
        "Tersambung", "Terputus")

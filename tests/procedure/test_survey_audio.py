"""The survey's pre-built clips: shipped for the shipped texts, rebuilt when a text changes."""
from __future__ import annotations

from dataclasses import replace

import yaml

from queue_server.app import parse_config
from queue_server.procedure.skm import Element
from queue_server.procedure.survey_audio import (
    AUDIO_DIR,
    LANGUAGES,
    build,
    clip_name,
    clip_urls,
    notice_texts,
    notice_urls,
    spoken_texts,
)
from sounds.synth import espeak_frames

from ..support import ROOT


def shipped_guest_book():
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    return parse_config(data, ROOT / "config.yaml", environ={}).procedure.guest_book


def shipped_survey():
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    return parse_config(data, ROOT / "config.yaml", environ={}).procedure.survey


def test_every_text_of_the_shipped_survey_has_a_shipped_clip():
    survey = shipped_survey()
    for language in LANGUAGES:
        texts = spoken_texts(survey, language)
        assert len(texts) > 50
        urls = clip_urls(survey, language)
        missing = [text for text in texts if text not in urls]
        assert missing == [], f"rebuild: queue-server sounds survey ({language})"
    book = shipped_guest_book()
    shipped = {path.name for path in AUDIO_DIR.glob("*.mp3")}
    wanted = {clip_name(lang, text) for lang in LANGUAGES for text in spoken_texts(survey, lang)}
    wanted |= {clip_name(lang, text) for lang in LANGUAGES
               for text in notice_texts(book, lang).values()}
    assert shipped == wanted  # no stale clips in the repository


def test_the_guest_book_notices_are_read_aloud_from_shipped_clips(tmp_path):
    book = shipped_guest_book()
    for language in LANGUAGES:
        urls = notice_urls(book, language)
        assert set(urls) == {"legal_basis", "child_consent"}
        assert all(url and url.startswith("/static/procedure/audio/") for url in urls.values())
    # A changed notice has no clip until `queue-server sounds survey` rebuilds it.
    changed = replace(book, legal_basis=book.legal_basis + " Terima kasih.")
    assert notice_urls(changed, "id")["legal_basis"] is None


def test_a_changed_text_has_no_clip_until_rebuilt(tmp_path):
    survey = shipped_survey()
    question = survey.questions[Element.BIAYA]
    changed = replace(survey, questions={**survey.questions, Element.BIAYA: replace(
        question, question="Apakah Saudara membayar untuk layanan ini?")})
    built, kept = build(survey, tmp_path)
    assert (built, kept) == (len(list(tmp_path.glob("*.mp3"))), 0)
    assert "Apakah Saudara membayar untuk layanan ini?" not in clip_urls(changed, "id", tmp_path)
    rebuilt, kept = build(changed, tmp_path)
    assert rebuilt == 1 and kept == built - 1  # the new text; the old clip is removed
    assert "Apakah Saudara membayar untuk layanan ini?" in clip_urls(changed, "id", tmp_path)
    assert question.question not in clip_urls(changed, "id", tmp_path)
    assert len(list(tmp_path.glob("*.mp3"))) == built
    assert espeak_frames("Gratis", "id")  # the same engine the display's clips come from

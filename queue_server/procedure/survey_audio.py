"""Pre-built spoken clips for the survey tablet and the guest book's notices, so nothing
is synthesised on a request.

Run `python -m queue_server.procedure.survey_audio [--config config.yaml]` after changing a
survey text: it speaks every question, answer and page phrase with espeak-ng (the sounds/
library) and writes small MP3 files (sounds.mp3, the TV's format) named by a hash of language and text, so a changed text
never plays a stale clip: it simply has no clip until rebuilt.
"""
from __future__ import annotations

from pathlib import Path

from queue_server.procedure.sections import GuestBookSettings, SurveySettings
from sounds.phrases import build_phrase_clips, clip_name, speech

__all__ = ["AUDIO_DIR", "LANGUAGES", "PHRASES", "answer_text", "build", "clip_name", "clip_urls",
           "notice_texts", "notice_urls", "speech", "spoken_texts"]

AUDIO_DIR = Path(__file__).resolve().parent / "web" / "static" / "audio"
URL_PREFIX = "/static/procedure/audio/"
LANGUAGES = ("id", "en")

# What the tablet says besides the questions; the page shows the same words.
PHRASES = {
    "id": {
        "intro": "Survei Kepuasan Masyarakat. Jawaban Anda tanpa nama. Tekan Enter untuk mulai.",
        "keys": "Tekan angka satu sampai empat untuk menjawab, lalu Enter untuk lanjut.",
        "gender": "Jenis kelamin", "education": "Pendidikan terakhir", "occupation": "Pekerjaan",
        "age": "Usia, boleh dikosongkan. Ketik angka lalu tekan Enter.",
        "suggestion": "Saran dan masukan, boleh dikosongkan. Tekan Enter untuk lanjut.",
        "review": "Tekan Enter untuk mengirim survei.",
        "thanks": "Terima kasih. Survei Anda sudah kami terima.",
    },
    "en": {
        "intro": "Satisfaction survey. Your answers are anonymous. Press Enter to start.",
        "keys": "Press one to four to answer, then Enter to go on.",
        "gender": "Gender", "education": "Education", "occupation": "Occupation",
        "age": "Age, optional. Type a number and press Enter.",
        "suggestion": "Suggestions, optional. Press Enter to go on.",
        "review": "Press Enter to send the survey.",
        "thanks": "Thank you. We have received your survey.",
    },
}


def answer_text(number: int, label: str) -> str:
    """How an answer is read: its key first, so a listener knows what to press."""
    return f"{number}. {label}"


def spoken_texts(settings: SurveySettings, language: str) -> list[str]:
    """Every text the tablet can read aloud in a language."""
    english = language == "en"
    texts = list(PHRASES[language].values())
    for question in settings.questions.values():
        texts.append(question.question_en if english else question.question)
        labels = question.answers_en if english else question.answers
        texts += [answer_text(n, label) for n, label in enumerate(labels, 1)]
    for options in (settings.genders, settings.education, settings.occupations):
        texts += [answer_text(n, o.name_en if english else o.name)
                  for n, o in enumerate(options, 1)]
    return list(dict.fromkeys(texts))


def notice_texts(book: GuestBookSettings, language: str) -> dict[str, str]:
    """The guest book's notices read aloud to the visitor: legal basis, a child's consent."""
    english = language == "en"
    return {"legal_basis": book.legal_basis_en if english else book.legal_basis,
            "child_consent": book.child_consent_en if english else book.child_consent}


def notice_urls(book: GuestBookSettings, language: str,
                folder: Path = AUDIO_DIR) -> dict[str, str | None]:
    """Each notice's clip URL in a language, or None until `queue-server sounds survey`."""
    if language not in LANGUAGES:
        return {}
    return {key: URL_PREFIX + clip_name(language, text)
            if (folder / clip_name(language, text)).exists() else None
            for key, text in notice_texts(book, language).items()}


def clip_urls(settings: SurveySettings, language: str,
              folder: Path = AUDIO_DIR) -> dict[str, str]:
    """Text to clip URL, for the texts whose clip has been built."""
    if language not in LANGUAGES:
        return {}
    return {text: URL_PREFIX + clip_name(language, text)
            for text in spoken_texts(settings, language)
            if (folder / clip_name(language, text)).exists()}


def build(settings: SurveySettings, folder: Path = AUDIO_DIR,
          book: GuestBookSettings | None = None) -> tuple[int, int]:
    """Speak the missing clips with espeak-ng and encode them as MP3; (built, kept)."""
    wanted = {clip_name(lang, text): (lang, text)
              for lang in LANGUAGES for text in spoken_texts(settings, lang)}
    if book is not None:
        wanted.update({clip_name(lang, text): (lang, text) for lang in LANGUAGES
                       for text in notice_texts(book, lang).values()})
    return build_phrase_clips(wanted, folder)

"""Pre-built spoken phrases: one small MP3 clip per text (sounds.mp3, the TV's format), named by a hash of language and
text, so a changed text never plays a stale clip (it simply has none until rebuilt).

The survey tablet and the visitors' kiosk read their screens aloud this way: nothing is
synthesised on a request. Building needs espeak-ng and libmp3lame; playing needs neither.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path


def clip_name(language: str, text: str) -> str:
    digest = hashlib.sha256(f"{language}|{text}".encode()).hexdigest()[:20]
    return f"{language}-{digest}.mp3"


def speech(language: str, text: str) -> str:
    """The words espeak-ng gets: a slash read as "or", not as "garis miring"."""
    return text.replace("/", " atau " if language == "id" else " or ")


def clip_urls(texts: list[str], language: str, folder: Path, url_prefix: str) -> dict[str, str]:
    """Text to clip URL, for the texts whose clip has been built."""
    return {text: url_prefix + clip_name(language, text) for text in texts
            if (folder / clip_name(language, text)).exists()}


def build_phrase_clips(wanted: Mapping[str, tuple[str, str]], folder: Path) -> tuple[int, int]:
    """Speak the missing clips (file name to (language, text)) with espeak-ng and encode them
    as MP3; remove the folder's clips nobody wants any more. Returns (built, kept)."""
    from sounds.mp3 import write_pcm
    from sounds.synth import espeak_frames

    folder.mkdir(parents=True, exist_ok=True)
    built = kept = 0
    for name, (lang, text) in wanted.items():
        target = folder / name
        if target.exists():
            kept += 1
            continue
        write_pcm(target, espeak_frames(speech(lang, text), lang))  # atomic: no half files
        built += 1
    for stale in [*folder.glob("*.ogg"), *folder.glob("*.mp3")]:
        if stale.name not in wanted:
            stale.unlink()
    return built, kept

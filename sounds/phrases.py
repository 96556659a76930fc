"""Pre-built spoken phrases: one small Ogg clip per text, named by a hash of language and
text, so a changed text never plays a stale clip (it simply has none until rebuilt).

The survey tablet and the visitors' kiosk read their screens aloud this way: nothing is
synthesised on a request. Building needs espeak-ng and sox; playing needs neither.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sounds.synth import espeak_frames
from sounds.wav import write_clip


def clip_name(language: str, text: str) -> str:
    digest = hashlib.sha256(f"{language}|{text}".encode()).hexdigest()[:20]
    return f"{language}-{digest}.ogg"


def speech(language: str, text: str) -> str:
    """The words espeak-ng gets: a slash read as "or", not as "garis miring"."""
    return text.replace("/", " atau " if language == "id" else " or ")


def clip_urls(texts: list[str], language: str, folder: Path, url_prefix: str) -> dict[str, str]:
    """Text to clip URL, for the texts whose clip has been built."""
    return {text: url_prefix + clip_name(language, text) for text in texts
            if (folder / clip_name(language, text)).exists()}


def build_phrase_clips(wanted: Mapping[str, tuple[str, str]], folder: Path) -> tuple[int, int]:
    """Speak the missing clips (file name to (language, text)) and encode them as Ogg;
    remove the folder's clips nobody wants any more. Returns (built, kept)."""
    sox = shutil.which("sox")
    if sox is None:
        raise SystemExit("sox is not installed (apt install sox)")
    folder.mkdir(parents=True, exist_ok=True)
    built = kept = 0
    with tempfile.TemporaryDirectory(prefix="phrases-") as scratch:
        for name, (lang, text) in wanted.items():
            target = folder / name
            if target.exists():
                kept += 1
                continue
            wav = write_clip(Path(scratch) / "clip.wav", espeak_frames(speech(lang, text), lang))
            partial = Path(scratch) / name
            subprocess.run([sox, str(wav), "-C", "0", str(partial)], check=True,
                           capture_output=True, timeout=30)
            shutil.move(partial, target)
            built += 1
    for stale in folder.glob("*.ogg"):
        if stale.name not in wanted:
            stale.unlink()
    return built, kept

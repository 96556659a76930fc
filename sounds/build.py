"""Build a language's voice clips with gTTS (online) or espeak-ng (offline)."""

from __future__ import annotations

import argparse
import enum
import io
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gtts import gTTS, gTTSError

from sounds.chime import write_chime
from sounds.mp3 import SUFFIX, Mp3FormatError, frames_of, write_pcm
from sounds.synth import SynthesisError, espeak_frames, mp3_to_frames
from sounds.vocabulary import CHIME_KEY, LANGUAGES, Entry, slug, vocabulary

# Built clips live beside the database, not over the shipped ones.
DEFAULT_BUILD_DIR = Path("instance") / "clips"
# Pause between gTTS requests: Google answers 429 to clients in a hurry.
GTTS_THROTTLE_S = 1.0
HTTP_TOO_MANY_REQUESTS = 429


class Engine(str, enum.Enum):
    """A speech engine that can build clips."""

    ESPEAK = "espeak"
    GTTS = "gtts"


class Outcome(str, enum.Enum):
    """What happened to one clip."""

    BUILT = "built"  # made by the engine asked for
    FALLBACK = "fallback"  # gTTS failed, espeak-ng made it instead
    KEPT = "kept"  # gTTS failed, a clip already there was left alone
    FAILED = "failed"  # no engine could make it; no file was written


class GttsOfflineError(SynthesisError):
    """Google's TTS service cannot be reached."""


class GttsRateLimitedError(SynthesisError):
    """Google's TTS service answered 429 Too Many Requests."""


@dataclass(frozen=True)
class ClipResult:
    """The outcome for one clip key."""

    key: str
    outcome: Outcome
    reason: str | None = None


@dataclass
class BuildReport:
    """Every clip's outcome for one engine and language."""

    engine: Engine
    lang: str
    out_dir: Path
    results: list[ClipResult] = field(default_factory=list)

    def with_outcome(self, outcome: Outcome) -> list[ClipResult]:
        """Return the results with this outcome."""
        return [result for result in self.results if result.outcome is outcome]

    @property
    def complete(self) -> bool:
        """Return whether every clip now exists."""
        return not self.with_outcome(Outcome.FAILED)

    def summary(self) -> str:
        """Return a few lines a person can read at the terminal."""
        counts = ", ".join(f"{len(self.with_outcome(outcome))} {outcome.value}"
                           for outcome in Outcome)
        lines = [f"{self.engine.value} {self.lang} -> {self.out_dir / self.lang}: {counts}"]
        reasons: dict[tuple[Outcome, str | None], list[str]] = {}
        for result in self.results:
            if result.outcome is not Outcome.BUILT:
                reasons.setdefault((result.outcome, result.reason), []).append(result.key)
        for (outcome, reason), keys in reasons.items():
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            lines.append(f"  {outcome.value}: {shown}: {reason}")
        return "\n".join(lines)


def build_clips(
    engine: Engine | str,
    lang: str,
    out_dir: Path,
    *,
    timeout: float = 10,
    extra_phrases: Mapping[str, str] | None = None,
    throttle: float = GTTS_THROTTLE_S,
) -> BuildReport:
    """Write every clip of `lang` to out_dir/<lang>/<name>.mp3, plus out_dir/chime.mp3."""
    engine = Engine(engine)
    entries = vocabulary(lang) + _extra_entries(lang, extra_phrases or {})
    out_dir = Path(out_dir)
    report = BuildReport(engine, lang, out_dir)
    if not (out_dir / f"{CHIME_KEY}{SUFFIX}").exists():
        write_chime(out_dir / f"{CHIME_KEY}{SUFFIX}")
    gtts_down: SynthesisError | None = None  # once offline or refused, stop asking Google
    for index, entry in enumerate(entries):
        target = out_dir / f"{entry.key}{SUFFIX}"
        if engine is Engine.ESPEAK:
            report.results.append(_build_with_espeak(entry, target, timeout, Outcome.BUILT))
            continue
        if gtts_down is None:
            if index:
                time.sleep(throttle)
            try:
                write_pcm(target, mp3_to_frames(gtts_mp3(entry.text_for("gtts"), lang,
                                                          timeout=timeout), timeout=timeout))
                report.results.append(ClipResult(entry.key, Outcome.BUILT))
                continue
            except (GttsOfflineError, GttsRateLimitedError) as exc:
                gtts_down, reason = exc, str(exc)
            except SynthesisError as exc:
                reason = str(exc)
        else:
            reason = str(gtts_down)
        report.results.append(_fall_back(entry, target, timeout, reason))
    return report


def gtts_mp3(text: str, lang: str, *, timeout: float) -> bytes:
    """Fetch MP3 bytes from gTTS into memory, so a failure leaves no file behind."""
    buffer = io.BytesIO()
    try:
        gTTS(text, lang=lang, timeout=timeout).write_to_fp(buffer)
    except gTTSError as exc:
        response = getattr(exc, "rsp", None)
        status = getattr(response, "status_code", None)
        if status == HTTP_TOO_MANY_REQUESTS or str(exc).startswith("429"):
            raise GttsRateLimitedError(
                "gTTS refused: Google answered 429 Too Many Requests;"
                " wait an hour or more before building again"
            ) from exc
        if response is None:
            raise GttsOfflineError(
                f"gTTS cannot reach Google's TTS service (offline or blocked): {exc}"
            ) from exc
        raise SynthesisError(f"gTTS failed: {exc}") from exc
    except OSError as exc:  # requests' timeouts and connection errors
        raise GttsOfflineError(f"gTTS cannot reach Google's TTS service: {exc}") from exc
    return buffer.getvalue()


def _fall_back(entry: Entry, target: Path, timeout: float, reason: str) -> ClipResult:
    """Keep a good clip already there, otherwise let espeak-ng make it."""
    if target.exists():
        try:
            frames_of(target.read_bytes())
            return ClipResult(entry.key, Outcome.KEPT, reason)
        except Mp3FormatError:
            pass
    result = _build_with_espeak(entry, target, timeout, Outcome.FALLBACK)
    if result.outcome is Outcome.FALLBACK:
        return ClipResult(entry.key, Outcome.FALLBACK, f"{reason}; made by espeak-ng instead")
    return ClipResult(entry.key, Outcome.FAILED, f"{reason}; then {result.reason}")


def _build_with_espeak(entry: Entry, target: Path, timeout: float,
                       outcome: Outcome) -> ClipResult:
    try:
        write_pcm(target, espeak_frames(entry.text_for("espeak"), entry.lang, timeout=timeout))
    except SynthesisError as exc:
        return ClipResult(entry.key, Outcome.FAILED, str(exc))
    return ClipResult(entry.key, outcome)


def _extra_entries(lang: str, phrases: Mapping[str, str]) -> list[Entry]:
    """Turn {"meja": "meja"} or {"id/meja": ...} into entries keyed "<lang>/<slug>"."""
    entries = []
    for name, text in phrases.items():
        name = name.removeprefix(f"{lang}/")
        if not slug(name) or slug(name) != name:
            raise ValueError(f"extra phrase name {name!r} must look like {slug(name) or 'a_b'!r}")
        entries.append(Entry(f"{lang}/{name}", lang, text))
    return entries


def run_build(engine: str, lang: str, out_dir: Path | None = None) -> int:
    """Build clips, print a summary; return 0 when every clip exists, 1 if not, 2 on bad input."""
    if engine not in {member.value for member in Engine} or lang not in LANGUAGES:
        print(f"engine must be one of {[member.value for member in Engine]} and lang one of"
              f" {list(LANGUAGES)}; got {engine!r}, {lang!r}", file=sys.stderr)
        return 2
    report = build_clips(engine, lang, Path(out_dir) if out_dir else DEFAULT_BUILD_DIR)
    print(report.summary())
    return 0 if report.complete else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run `python -m sounds.build --engine espeak --lang id [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m sounds.build", description=main.__doc__)
    parser.add_argument("--engine", choices=[member.value for member in Engine], required=True)
    parser.add_argument("--lang", choices=LANGUAGES, required=True)
    parser.add_argument("--out", type=Path, default=None,
                        help=f"clips root (default {DEFAULT_BUILD_DIR})")
    arguments = parser.parse_args(argv)
    return run_build(arguments.engine, arguments.lang, arguments.out)


if __name__ == "__main__":
    raise SystemExit(main())

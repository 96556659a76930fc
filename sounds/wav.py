"""Read and trim 16-bit mono PCM WAV audio (espeak-ng's output, an office's own recordings).

What the server plays is MP3 (sounds.mp3): WAV is only read, never written.
"""

from __future__ import annotations

import array
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 22050
CHANNELS = 1
SAMPLE_WIDTH = 2  # bytes: 16-bit signed PCM
FRAME_BYTES = CHANNELS * SAMPLE_WIDTH
SAMPLE_MAX = 32767
# Below about -40 dBFS counts as silence when trimming clip edges.
SILENCE_THRESHOLD = 330


class WavFormatError(ValueError):
    """A WAV file is unreadable or not 22050 Hz mono 16-bit."""


@dataclass(frozen=True)
class Clip:
    """Raw PCM frames in the house format."""

    frames: bytes

    @property
    def frame_count(self) -> int:
        """Return the number of frames."""
        return len(self.frames) // FRAME_BYTES


def read_clip(path: Path) -> Clip:
    """Read a WAV file, refusing anything but 22050 Hz mono 16-bit."""
    try:
        with wave.open(str(path), "rb") as reader:
            params = (reader.getframerate(), reader.getnchannels(), reader.getsampwidth())
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise WavFormatError(f"{path}: not a readable WAV file ({exc})") from exc
    if params != (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH):
        raise WavFormatError(
            f"{path}: {params[0]} Hz, {params[1]} channel(s), {8 * params[2]}-bit;"
            f" expected {SAMPLE_RATE} Hz mono 16-bit"
        )
    return Clip(frames)


def _samples(frames: bytes) -> array.array:
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()  # WAV data is little-endian
    return samples


def _frames(samples: array.array) -> bytes:
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def trim_silence(frames: bytes, *, lead_ms: int = 20, tail_ms: int = 40) -> bytes:
    """Cut silence from both ends, keeping a short margin so words do not clip."""
    samples = _samples(frames)
    loud = (index for index, value in enumerate(samples) if abs(value) > SILENCE_THRESHOLD)
    first = next(loud, None)
    if first is None:
        return b""
    last = next(index for index in range(len(samples) - 1, first - 1, -1)
                if abs(samples[index]) > SILENCE_THRESHOLD)
    start = max(0, first - SAMPLE_RATE * lead_ms // 1000)
    end = min(len(samples), last + 1 + SAMPLE_RATE * tail_ms // 1000)
    return _frames(samples[start:end])

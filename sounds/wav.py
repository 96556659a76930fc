"""Read, write, trim and scale 16-bit mono PCM WAV audio with the standard library."""

from __future__ import annotations

import array
import os
import sys
import tempfile
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


def write_clip(path: Path, frames: bytes) -> Path:
    """Write frames as a WAV file through a temporary file, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as writer:
            writer.setnchannels(CHANNELS)
            writer.setsampwidth(SAMPLE_WIDTH)
            writer.setframerate(SAMPLE_RATE)
            writer.writeframes(frames)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def silence(milliseconds: int) -> bytes:
    """Return that many milliseconds of silent frames."""
    return bytes(FRAME_BYTES * (SAMPLE_RATE * milliseconds // 1000))


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


def scale(frames: bytes, volume: float) -> bytes:
    """Multiply every sample by `volume`, clipping at full scale."""
    if volume == 1.0:
        return frames
    if volume < 0:
        raise ValueError(f"volume must not be negative, got {volume}")
    samples = _samples(frames)
    if volume <= 1.0:  # no sample can overflow, so skip the clipping test
        scaled = array.array("h", [int(value * volume) for value in samples])
    else:
        scaled = array.array(
            "h", [max(-SAMPLE_MAX - 1, min(SAMPLE_MAX, round(value * volume))) for value in samples]
        )
    return _frames(scaled)

"""Turn text into house-format PCM with espeak-ng, and decode gTTS's MP3 offline."""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from sounds.wav import CHANNELS, SAMPLE_RATE, WavFormatError, read_clip, trim_silence

ESPEAK_VOICES = {"id": "id", "en": "en"}
# Slower than espeak's 175 wpm default: older listeners follow it more easily.
ESPEAK_WORDS_PER_MINUTE = 150

# libsndfile constants (sndfile.h).
_SFM_READ = 0x10


class SynthesisError(RuntimeError):
    """A clip could not be made; the message says why in plain words."""


class _SoundFileInfo(ctypes.Structure):
    _fields_ = [
        ("frames", ctypes.c_int64),
        ("samplerate", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("format", ctypes.c_int),
        ("sections", ctypes.c_int),
        ("seekable", ctypes.c_int),
    ]


def espeak_frames(text: str, lang: str, *, timeout: float = 10) -> bytes:
    """Speak `text` with espeak-ng and return trimmed 22050 Hz mono 16-bit frames."""
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise SynthesisError("espeak-ng is not installed (apt install espeak-ng)")
    with tempfile.TemporaryDirectory(prefix="espeak-") as folder:
        output = Path(folder) / "clip.wav"
        command = [executable, "-v", ESPEAK_VOICES[lang], "-s", str(ESPEAK_WORDS_PER_MINUTE),
                   "-b", "1", "-w", str(output)]
        try:
            # Text goes through stdin so a leading "-" is never read as an option.
            subprocess.run(command, input=text.encode(), capture_output=True, check=True,
                           timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise SynthesisError(f"espeak-ng took longer than {timeout} s for {text!r}") from exc
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode(errors="replace").strip()
            raise SynthesisError(f"espeak-ng failed for {text!r}: {detail}") from exc
        try:
            frames = read_clip(output).frames
        except WavFormatError as exc:
            raise SynthesisError(f"espeak-ng wrote an unexpected file: {exc}") from exc
    return _require_sound(trim_silence(frames), text)


def mp3_to_frames(mp3: bytes, *, timeout: float = 10) -> bytes:
    """Decode MP3 bytes to trimmed 22050 Hz mono 16-bit frames, offline.

    Decoding uses the system libsndfile (Debian's links mpg123); sox resamples,
    because gTTS sends 24 kHz audio.
    """
    if not mp3:
        raise SynthesisError("empty MP3: gTTS returned no audio")
    with tempfile.TemporaryDirectory(prefix="mp3-") as folder:
        source = Path(folder) / "clip.mp3"
        source.write_bytes(mp3)
        pcm, rate, channels = _decode_with_libsndfile(source)
    if (rate, channels) != (SAMPLE_RATE, CHANNELS):
        pcm = _resample_with_sox(pcm, rate, channels, timeout=timeout)
    return _require_sound(trim_silence(pcm), "MP3")


def decode_file(path: Path) -> tuple[bytes, int, int]:
    """Decode an audio file (MP3, WAV, Ogg) with libsndfile: (16-bit PCM, rate, channels)."""
    return _decode_with_libsndfile(Path(path))


def _require_sound(frames: bytes, what: str) -> bytes:
    if not frames:
        raise SynthesisError(f"no audible sound was produced for {what!r}")
    return frames


def _libsndfile() -> ctypes.CDLL:
    name = ctypes.util.find_library("sndfile")
    if name is None:
        raise SynthesisError("libsndfile is not installed (apt install libsndfile1)")
    library = ctypes.CDLL(name)
    library.sf_open.restype = ctypes.c_void_p
    library.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_SoundFileInfo)]
    library.sf_readf_short.restype = ctypes.c_int64
    library.sf_readf_short.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    library.sf_close.argtypes = [ctypes.c_void_p]
    library.sf_strerror.restype = ctypes.c_char_p
    library.sf_strerror.argtypes = [ctypes.c_void_p]
    return library


def _decode_with_libsndfile(path: Path) -> tuple[bytes, int, int]:
    """Return (16-bit little-endian PCM, sample rate, channels) of an audio file."""
    library = _libsndfile()
    info = _SoundFileInfo()
    handle = library.sf_open(str(path).encode(), _SFM_READ, ctypes.byref(info))
    if not handle:
        reason = library.sf_strerror(None).decode(errors="replace")
        raise SynthesisError(f"cannot decode the MP3 (libsndfile says: {reason})")
    try:
        buffer = (ctypes.c_short * (info.frames * info.channels))()
        read = library.sf_readf_short(handle, buffer, info.frames)
    finally:
        library.sf_close(handle)
    if read <= 0:
        raise SynthesisError("the MP3 holds no audio frames")
    return bytes(buffer)[: read * info.channels * 2], info.samplerate, info.channels


def _resample_with_sox(pcm: bytes, rate: int, channels: int, *, timeout: float) -> bytes:
    executable = shutil.which("sox")
    if executable is None:
        raise SynthesisError("sox is not installed (apt install sox)")
    raw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-L"]
    command = [executable, *raw, "-r", str(rate), "-c", str(channels), "-",
               *raw, "-r", str(SAMPLE_RATE), "-c", str(CHANNELS), "-"]
    try:
        done = subprocess.run(command, input=pcm, capture_output=True, check=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise SynthesisError(f"sox took longer than {timeout} s to resample") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip()
        raise SynthesisError(f"sox could not resample the clip: {detail}") from exc
    return done.stdout

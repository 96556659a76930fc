"""The house's compressed audio: MP3 frames that join by concatenation.

Every clip is encoded the same way (22050 Hz mono, constant 24 kbit/s, no tag frames), so a
call is composed by joining the clips' frames, with no decoding: a few microseconds of work
and 3 KB a second of sound, a fourteenth of the 16-bit WAV it replaces. Each encoded clip
starts with an empty bit reservoir, so a frame never borrows bytes across a clip boundary.

Encoding uses the system libmp3lame through ctypes (Debian's libmp3lame0, which libsndfile
already brings); it runs when clips are built, or once per clip when an office's own WAV
recording is first loaded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import tempfile
import threading
from pathlib import Path

from sounds.wav import CHANNELS, FRAME_BYTES, SAMPLE_RATE

BITRATE_KBPS = 24
"""Speech at 22050 Hz stays clear at 24 kbit/s (LAME keeps up to ~8 kHz, twice a phone's
band); a typical two-language call (16 s) is ~47 KB."""
SAMPLES_PER_FRAME = 576  # MPEG-2 Layer III
SUFFIX = ".mp3"
MIME_TYPE = "audio/mpeg"
_QUALITY = 2  # LAME's 0 (best, slowest) to 9; 2 is its recommended "high quality"
_MONO = 3  # LAME's MPEG_mode MONO
_VBR_OFF = 0

# MPEG-2 / 2.5 Layer III bitrates (kbit/s) by index, and sample rates by version.
_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


class Mp3FormatError(ValueError):
    """Bytes that are not MP3 frames in the house format."""


class EncoderMissingError(RuntimeError):
    """libmp3lame is not installed."""


_lame: ctypes.CDLL | None = None
_lame_lock = threading.Lock()


def _library() -> ctypes.CDLL:
    global _lame
    with _lame_lock:
        if _lame is None:
            name = ctypes.util.find_library("mp3lame")
            if name is None:
                raise EncoderMissingError("libmp3lame is not installed (apt install libmp3lame0)")
            library = ctypes.CDLL(name)
            library.lame_init.restype = ctypes.c_void_p
            for function in ("lame_init_params", "lame_close", "lame_set_in_samplerate",
                             "lame_set_out_samplerate", "lame_set_num_channels",
                             "lame_set_mode", "lame_set_brate", "lame_set_VBR",
                             "lame_set_bWriteVbrTag", "lame_set_quality",
                             "lame_set_disable_reservoir", "lame_encode_buffer",
                             "lame_encode_flush"):
                getattr(library, function).restype = ctypes.c_int
            library.lame_encode_buffer.argtypes = [
                ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                ctypes.c_void_p, ctypes.c_int]
            library.lame_encode_flush.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
            _lame = library
        return _lame


def encode(pcm: bytes, *, reservoir: bool = True) -> bytes:
    """Encode 22050 Hz mono 16-bit little-endian PCM as house-format MP3 frames.

    Without the reservoir every frame holds all its own bits, so any frame can be cut out
    and repeated (the pauses); with it LAME spends bits where the speech needs them.
    """
    library = _library()
    handle = ctypes.c_void_p(library.lame_init())
    if not handle:
        raise EncoderMissingError("libmp3lame could not start an encoder")
    try:
        for setter, value in (("lame_set_in_samplerate", SAMPLE_RATE),
                              ("lame_set_out_samplerate", SAMPLE_RATE),
                              ("lame_set_num_channels", CHANNELS), ("lame_set_mode", _MONO),
                              ("lame_set_VBR", _VBR_OFF), ("lame_set_brate", BITRATE_KBPS),
                              ("lame_set_quality", _QUALITY),
                              ("lame_set_disable_reservoir", int(not reservoir)),
                              ("lame_set_bWriteVbrTag", 0)):  # no Xing/Info frame to strip
            getattr(library, setter)(handle, value)
        if library.lame_init_params(handle) < 0:
            raise EncoderMissingError("libmp3lame refused the house format")
        samples = len(pcm) // FRAME_BYTES
        source = ctypes.create_string_buffer(pcm[: samples * FRAME_BYTES], samples * FRAME_BYTES)
        size = samples * 5 // 4 + 7200  # LAME's documented worst case
        output = ctypes.create_string_buffer(size)
        written = library.lame_encode_buffer(handle, source, None, samples, output, size)
        if written < 0:
            raise Mp3FormatError(f"libmp3lame failed to encode ({written})")
        tail = ctypes.create_string_buffer(7200)
        flushed = library.lame_encode_flush(handle, tail, 7200)
        data = output.raw[:written] + tail.raw[:max(flushed, 0)]
    finally:
        library.lame_close(handle)
    return frames_of(data)


def frames_of(data: bytes) -> bytes:
    """Return the audio frames of an MP3, without ID3 tags or an Xing/Info frame.

    Refuses anything but house-format frames (22050 Hz mono Layer III), since joined
    frames must agree for a player to read them as one stream.
    """
    start = 0
    if data[:3] == b"ID3" and len(data) >= 10:  # ID3v2: a 10-byte header, a syncsafe size
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        start = 10 + size + (10 if data[5] & 0x10 else 0)
    end = len(data) - (128 if data[-128:-125] == b"TAG" else 0)
    kept = []
    position = start
    while position < end:
        length, rate, mono = _frame_header(data, position)
        if position + length > end:
            break  # a truncated last frame: drop it
        if (rate, mono) != (SAMPLE_RATE, True):
            raise Mp3FormatError(f"MP3 frame at byte {position}: {rate} Hz, "
                                 f"{'mono' if mono else 'stereo'}; expected {SAMPLE_RATE} Hz mono")
        frame = data[position:position + length]
        if not _is_info_frame(frame):
            kept.append(frame)
        position += length
    if not kept:
        raise Mp3FormatError("no MP3 audio frames")
    return b"".join(kept)


def _frame_header(data: bytes, position: int) -> tuple[int, int, bool]:
    """(frame length, sample rate, mono) of the Layer III frame starting at position."""
    header = data[position:position + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        raise Mp3FormatError(f"no MP3 frame header at byte {position}")
    version = (header[1] >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = (header[1] >> 1) & 3
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        raise Mp3FormatError(f"not a Layer III frame at byte {position}")
    bitrate = _BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    per_frame = 144 if version == 3 else 72
    mono = header[3] >> 6 == 3
    return per_frame * bitrate // rate + padding, rate, mono


def _is_info_frame(frame: bytes) -> bool:
    # Mono MPEG-2 side information is 9 bytes; the tag follows the 4-byte header.
    return frame[13:17] in (b"Xing", b"Info") or frame[36:40] in (b"Xing", b"Info")


def frame_count(frames: bytes) -> int:
    """Return how many MP3 frames a run of house-format frames holds."""
    count = position = 0
    while position < len(frames):
        position += _frame_header(frames, position)[0]
        count += 1
    return count


def milliseconds(frames: bytes) -> float:
    """Return how long a run of house-format frames sounds."""
    return frame_count(frames) * SAMPLES_PER_FRAME * 1000 / SAMPLE_RATE


_silent_frame: bytes | None = None


def silence(duration_ms: int) -> bytes:
    """Return about `duration_ms` of silence as frames (a frame is ~26 ms)."""
    global _silent_frame
    if _silent_frame is None:
        frames = encode(bytes(FRAME_BYTES * SAMPLES_PER_FRAME * 8), reservoir=False)
        # A frame from the middle: the encoder's first and last frames differ.
        position = 0
        for _ in range(3):
            position += _frame_header(frames, position)[0]
        _silent_frame = frames[position:position + _frame_header(frames, position)[0]]
    count = max(1, round(duration_ms * SAMPLE_RATE / 1000 / SAMPLES_PER_FRAME))
    return _silent_frame * count


def write_file(path: Path, frames: bytes) -> Path:
    """Write frames through a temporary file, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(frames)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the file from a proxy
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_pcm(path: Path, pcm: bytes) -> Path:
    """Encode PCM and write it as an MP3 file (clips, the chime, read-aloud texts)."""
    return write_file(path, encode(pcm))

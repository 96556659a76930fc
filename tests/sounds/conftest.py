import array
import ctypes
import ctypes.util
import math

import pytest

from sounds.synth import _SoundFileInfo

# libsndfile: write mode, MPEG container, layer III (encoded by LAME).
_SFM_WRITE = 0x20
_MP3 = 0x230000 | 0x0082


def make_mp3(path, *, seconds=0.5, rate=24000, frequency=440.0):
    """Write a real MP3 tone offline (libsndfile + LAME), like the 24 kHz mono ones gTTS sends."""
    library = ctypes.CDLL(ctypes.util.find_library("sndfile"))
    library.sf_open.restype = ctypes.c_void_p
    library.sf_write_short.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    library.sf_close.argtypes = [ctypes.c_void_p]
    info = _SoundFileInfo(0, rate, 1, _MP3, 0, 0)
    handle = library.sf_open(str(path).encode(), _SFM_WRITE, ctypes.byref(info))
    assert handle, "this libsndfile cannot write MP3"
    count = int(seconds * rate)
    samples = array.array("h", (round(12000 * math.sin(2 * math.pi * frequency * step / rate))
                                for step in range(count)))
    buffer = (ctypes.c_short * count)(*samples)
    library.sf_write_short(handle, buffer, count)
    library.sf_close(handle)
    return path


@pytest.fixture(scope="session")
def mp3_bytes(tmp_path_factory):
    return make_mp3(tmp_path_factory.mktemp("mp3") / "tone.mp3").read_bytes()

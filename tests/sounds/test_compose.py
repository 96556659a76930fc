import math
import os
import shutil
import struct
import wave
from concurrent.futures import ThreadPoolExecutor

import pytest

from sounds import mp3
from sounds.compose import AudioComposer, MissingClipsError
from sounds.synth import decode_file
from sounds.text import Announcement, build_announcement
from sounds.vocabulary import PAUSE_MILLISECONDS, SHIPPED_CLIPS_DIR

TYPICAL_CALL_LIMIT = 60_000
"""Issue 12: a typical call's audio is a compressed file under 60 KB (it was a 484 KB WAV)."""


def decoded_seconds(path):
    pcm, rate, channels = decode_file(path)
    assert (rate, channels) == (22050, 1)
    return len(pcm) / 2 / rate


def write_tone_wav(path, seconds=0.6, hertz=440):
    """An office's own recording: 22050 Hz mono 16-bit."""
    samples = [round(12000 * math.sin(2 * math.pi * hertz * n / 22050))
               for n in range(int(22050 * seconds))]
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(22050)
        writer.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return struct.pack(f"<{len(samples)}h", *samples)


@pytest.fixture
def composer(tmp_path):
    return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path / "cache")


def test_composed_file_is_the_clips_frames_and_pauses_in_order(composer):
    announcement = build_announcement("P-012", "Loket Prioritas", repeats=2)

    path = composer.compose(announcement)

    expected = b""
    for key in announcement.clips:
        if key in PAUSE_MILLISECONDS:
            expected += mp3.silence(PAUSE_MILLISECONDS[key])
        else:  # the shipped file's frames, joined byte for byte: nothing is re-encoded
            expected += mp3.frames_of((SHIPPED_CLIPS_DIR / f"{key}.mp3").read_bytes())
    assert path.read_bytes() == expected
    assert expected == b"".join(composer.clip_bytes(key) for key in announcement.clips)
    # A decoder reads the joined clips as one stream, as long as the clips and pauses.
    assert decoded_seconds(path) == pytest.approx(mp3.milliseconds(expected) / 1000, abs=0.06)


def test_a_typical_call_is_a_small_valid_mp3(composer):
    # The call as config.yaml's defaults say it: chime, Indonesian then English, once.
    announcement = build_announcement("A-123", "Loket 2", languages=("id", "en"), repeats=1,
                                      chime=True)

    path = composer.compose(announcement)

    data = path.read_bytes()
    assert path.suffix == ".mp3" and data[:2] == b"\xff\xf3"  # MPEG-2 Layer III, no tag
    assert len(data) < TYPICAL_CALL_LIMIT, len(data)
    assert 5 < decoded_seconds(path) < 20  # it says the whole call


def test_same_clips_give_the_same_file_and_other_clips_another(composer):
    first = composer.compose(build_announcement("P-012", "Loket 2"))
    again = composer.compose(build_announcement("P-012", "Loket 2"))
    other = composer.compose(build_announcement("P-013", "Loket 2"))

    assert first == again
    assert other != first
    assert sorted(path.name for path in composer.cache_dir.iterdir()) == sorted(
        {first.name, other.name})


def test_file_name_is_known_before_composing(composer):
    announcement = build_announcement("A-105", "Loket 3")

    name = composer.file_name_for(announcement)

    assert not (composer.cache_dir / name).exists()
    assert composer.compose(announcement).name == name
    assert name.startswith("call-") and name.endswith(".mp3")
    assert composer.cached_file(name) == composer.cache_dir / name


@pytest.mark.parametrize("name", ["../chime.mp3", "call-0123.mp3", "x/../call-.mp3", "",
                                  "call-0123456789abcdef0123.wav"])
def test_cached_file_refuses_names_compose_never_writes(composer, name):
    (composer.cache_dir).mkdir()
    (composer.cache_dir.parent / "chime.mp3").write_bytes(b"\xff\xf3")
    (composer.cache_dir / "call-0123456789abcdef0123.wav").write_bytes(b"RIFF")

    assert composer.cached_file(name) is None


def test_missing_clips_are_listed_once_in_order_and_refused(composer):
    announcement = Announcement("x", ("chime", "id/meja", "pause/short", "id/dua", "id/meja",
                                      "en/desk"))

    assert composer.missing_clips(announcement.clips) == ["id/meja", "en/desk"]
    with pytest.raises(MissingClipsError) as caught:
        composer.compose(announcement)
    assert caught.value.keys == ["id/meja", "en/desk"]
    assert not composer.cache_dir.exists() or not any(composer.cache_dir.iterdir())


def test_concurrent_callers_get_one_complete_file(tmp_path):
    announcement = build_announcement("P-777", "Loket Umum", repeats=3)

    def call(_):
        # Separate composers stand in for separate worker processes.
        return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path).compose(announcement)

    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(call, range(8)))

    assert len(set(paths)) == 1
    assert [path.name for path in tmp_path.iterdir()] == [paths[0].name]  # no temp files
    expected = b"".join(AudioComposer(SHIPPED_CLIPS_DIR, tmp_path).clip_bytes(key)
                        for key in announcement.clips)
    assert paths[0].read_bytes() == expected


def test_rebuilt_clip_gives_the_call_a_new_file(tmp_path):
    clips = tmp_path / "clips"
    shutil.copytree(SHIPPED_CLIPS_DIR, clips)
    composer = AudioComposer(clips, tmp_path / "cache")
    announcement = build_announcement("P-002", "Loket 2", languages=("id",))
    before = composer.compose(announcement)

    clip = clips / "id" / "dua.mp3"
    shutil.copy(clips / "id" / "tiga.mp3", clip)
    os.utime(clip, ns=(1, 1))

    after = composer.compose(announcement)
    assert after != before
    assert after.read_bytes() != before.read_bytes()


def test_rebuilt_clips_win_and_the_shipped_set_fills_the_gaps(tmp_path):
    custom = tmp_path / "clips"
    (custom / "id").mkdir(parents=True)
    shutil.copy(SHIPPED_CLIPS_DIR / "id" / "tiga.mp3", custom / "id" / "dua.mp3")
    composer = AudioComposer(custom, tmp_path / "cache", fallback_dir=SHIPPED_CLIPS_DIR)

    assert composer.clip_path("id/dua") == custom / "id" / "dua.mp3"
    assert composer.clip_path("id/satu") == SHIPPED_CLIPS_DIR / "id" / "satu.mp3"
    assert composer.clip_path("chime") == SHIPPED_CLIPS_DIR / "chime.mp3"
    assert composer.clip_path("en/two") == SHIPPED_CLIPS_DIR / "en" / "two.mp3"
    assert AudioComposer(custom, tmp_path).missing_clips(["id/dua", "id/satu",
                                                          "en/two"]) == ["id/satu", "en/two"]


def test_an_office_wav_recording_is_encoded_once_when_loaded_and_the_newer_file_wins(tmp_path):
    custom = tmp_path / "clips"
    pcm = write_tone_wav(custom / "id" / "dua.wav")
    composer = AudioComposer(custom, tmp_path / "cache", fallback_dir=SHIPPED_CLIPS_DIR)
    announcement = Announcement("dua", ("id/dua",))

    path = composer.compose(announcement)

    assert composer.clip_path("id/dua") == custom / "id" / "dua.wav"
    assert path.read_bytes() == mp3.encode(pcm)  # joined as MP3 like every other clip
    assert decoded_seconds(path) == pytest.approx(0.6, abs=0.1)
    # A clip built later beside the recording (queue-server sounds build) takes over.
    shutil.copy(SHIPPED_CLIPS_DIR / "id" / "tiga.mp3", custom / "id" / "dua.mp3")
    os.utime(custom / "id" / "dua.wav", ns=(1, 1))
    assert composer.clip_path("id/dua") == custom / "id" / "dua.mp3"


def test_prune_keeps_the_most_recent_files(composer):
    paths = [composer.compose(build_announcement(f"P-{n:03d}", "Loket 1", languages=("id",)))
             for n in range(4)]
    for age, path in enumerate(reversed(paths)):
        os.utime(path, (1000 - age, 1000 - age))

    assert composer.prune(keep=2) == 2
    assert sorted(composer.cache_dir.iterdir()) == sorted(paths[2:])


def test_the_announcer_prunes_its_cache_as_it_composes(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from queue_server.tv import announcer as announcer_module

    monkeypatch.setattr(announcer_module, "PRUNE_EVERY", 3)
    monkeypatch.setattr(announcer_module, "KEEP_FILES", 2)
    settings = SimpleNamespace(languages=("id",), number_style="whole", repeats=1, chime=False)
    config = SimpleNamespace(display=SimpleNamespace(audio=settings), instance_dir=tmp_path)
    announcer = announcer_module.Announcer(config, tmp_path / "audio")
    counter = SimpleNamespace(name="Loket 2")
    for number in ("A-001", "A-002", "A-003", "A-004", "A-005"):
        _text, name = announcer.announce(number, counter)
        assert announcer.audio_path(name) is not None
    # After the third file the folder was pruned to two; two more were made since.
    assert len(list((tmp_path / "audio").glob("*.mp3"))) == 4

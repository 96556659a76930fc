import array
import os
import shutil
import wave
from concurrent.futures import ThreadPoolExecutor

import pytest

from sounds.compose import AudioComposer, MissingClipsError
from sounds.text import Announcement, build_announcement
from sounds.vocabulary import PAUSE_MILLISECONDS, SHIPPED_CLIPS_DIR


def frames_of(path):
    with wave.open(str(path), "rb") as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (
            22050, 1, 2)
        return reader.getnframes(), reader.readframes(reader.getnframes())


@pytest.fixture
def composer(tmp_path):
    return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path / "cache")


def test_composed_file_is_the_clips_and_pauses_in_order(composer):
    announcement = build_announcement("P-012", "Loket Prioritas", repeats=2)

    path = composer.compose(announcement)

    expected = b""
    for key in announcement.clips:
        if key in PAUSE_MILLISECONDS:
            expected += bytes(2 * (22050 * PAUSE_MILLISECONDS[key] // 1000))
        else:
            expected += frames_of(SHIPPED_CLIPS_DIR / f"{key}.wav")[1]
    count, frames = frames_of(path)
    assert count == len(expected) // 2
    assert count == sum(composer.clip_frames(key) for key in announcement.clips)
    assert frames == expected


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
    assert name.startswith("call-") and name.endswith(".wav")
    assert composer.cached_file(name) == composer.cache_dir / name


@pytest.mark.parametrize("name", ["../chime.wav", "call-0123.wav", "x/../call-.wav", ""])
def test_cached_file_refuses_names_compose_never_writes(composer, name):
    (composer.cache_dir).mkdir()
    (composer.cache_dir.parent / "chime.wav").write_bytes(b"RIFF")

    assert composer.cached_file(name) is None


def test_missing_clips_are_listed_once_in_order_and_refused(composer):
    announcement = Announcement("x", ("chime", "id/meja", "pause/short", "id/dua", "id/meja",
                                      "en/desk"))

    assert composer.missing_clips(announcement.clips) == ["id/meja", "en/desk"]
    with pytest.raises(MissingClipsError) as caught:
        composer.compose(announcement)
    assert caught.value.keys == ["id/meja", "en/desk"]
    assert not composer.cache_dir.exists() or not any(composer.cache_dir.iterdir())


def test_volume_scales_samples_and_names_another_file(composer):
    announcement = build_announcement("P-001", "Loket 1", languages=("id",))

    loud = composer.compose(announcement)
    quiet = composer.compose(announcement, volume=0.5)

    loud_samples = array.array("h", frames_of(loud)[1])
    quiet_samples = array.array("h", frames_of(quiet)[1])
    assert quiet != loud and len(quiet_samples) == len(loud_samples)
    assert all(abs(q - int(s * 0.5)) <= 1 for q, s in zip(quiet_samples, loud_samples,
                                                          strict=True))
    assert max(map(abs, quiet_samples)) < max(map(abs, loud_samples))


def test_concurrent_callers_get_one_complete_file(tmp_path):
    announcement = build_announcement("P-777", "Loket Umum", repeats=3)

    def call(_):
        # Separate composers stand in for separate worker processes.
        return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path).compose(announcement)

    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(call, range(8)))

    assert len(set(paths)) == 1
    assert [path.name for path in tmp_path.iterdir()] == [paths[0].name]  # no temp files
    expected = sum(AudioComposer(SHIPPED_CLIPS_DIR, tmp_path).clip_frames(key)
                   for key in announcement.clips)
    assert frames_of(paths[0])[0] == expected


def test_rebuilt_clip_gives_the_call_a_new_file(tmp_path):
    clips = tmp_path / "clips"
    shutil.copytree(SHIPPED_CLIPS_DIR, clips)
    composer = AudioComposer(clips, tmp_path / "cache")
    announcement = build_announcement("P-002", "Loket 2", languages=("id",))
    before = composer.compose(announcement)

    clip = clips / "id" / "dua.wav"
    shutil.copy(clips / "id" / "tiga.wav", clip)
    os.utime(clip, ns=(1, 1))

    after = composer.compose(announcement)
    assert after != before
    assert frames_of(after)[0] != frames_of(before)[0]


def test_rebuilt_clips_win_and_the_shipped_set_fills_the_gaps(tmp_path):
    custom = tmp_path / "clips"
    (custom / "id").mkdir(parents=True)
    shutil.copy(SHIPPED_CLIPS_DIR / "id" / "tiga.wav", custom / "id" / "dua.wav")
    composer = AudioComposer(custom, tmp_path / "cache", fallback_dir=SHIPPED_CLIPS_DIR)

    assert composer.clip_path("id/dua") == custom / "id" / "dua.wav"
    assert composer.clip_path("id/satu") == SHIPPED_CLIPS_DIR / "id" / "satu.wav"
    assert composer.clip_path("chime") == SHIPPED_CLIPS_DIR / "chime.wav"
    assert composer.clip_path("en/two") == SHIPPED_CLIPS_DIR / "en" / "two.wav"
    assert AudioComposer(custom, tmp_path).missing_clips(["id/dua", "id/satu",
                                                          "en/two"]) == ["id/satu", "en/two"]


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
    assert len(list((tmp_path / "audio").glob("*.wav"))) == 4

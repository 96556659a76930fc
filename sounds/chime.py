"""Synthesise the three-tone chime that precedes every call."""

from __future__ import annotations

import array
import math
import sys
from pathlib import Path

from sounds.mp3 import SUFFIX, write_pcm
from sounds.vocabulary import SHIPPED_CLIPS_DIR
from sounds.wav import SAMPLE_MAX, SAMPLE_RATE

CHIME_PATH = SHIPPED_CLIPS_DIR / f"chime{SUFFIX}"

# A rising major triad (G5, C6, E6) like an airport "ding-ding-dong", gentle
# enough for a waiting room; each note rings on under the next.
NOTES_HZ = (783.99, 1046.50, 1318.51)
NOTE_SPACING_S = 0.32
NOTE_LENGTH_S = 1.1
# Bell-like timbre: the fundamental plus two quiet overtones.
OVERTONES = ((1.0, 1.0), (2.0, 0.25), (3.0, 0.08))
ATTACK_S = 0.012  # a soft onset avoids the click of a hard start
DECAY_PER_S = 4.0
PEAK = 0.55  # of full scale, leaving room for the voice to sound as loud


def chime_frames(sample_rate: int = SAMPLE_RATE) -> bytes:
    """Return the chime as 16-bit mono little-endian PCM frames."""
    total = int(sample_rate * (NOTE_SPACING_S * (len(NOTES_HZ) - 1) + NOTE_LENGTH_S))
    mix = [0.0] * total
    note_samples = int(sample_rate * NOTE_LENGTH_S)
    attack = int(sample_rate * ATTACK_S)
    for note_index, frequency in enumerate(NOTES_HZ):
        offset = int(sample_rate * NOTE_SPACING_S * note_index)
        for step in range(min(note_samples, total - offset)):
            seconds = step / sample_rate
            envelope = math.exp(-DECAY_PER_S * seconds) * min(1.0, step / attack)
            # Fade the last 50 ms to zero so the note ends without a click.
            envelope *= min(1.0, (note_samples - step) / (0.05 * sample_rate))
            tone = sum(weight * math.sin(2 * math.pi * frequency * ratio * seconds)
                       for ratio, weight in OVERTONES)
            mix[offset + step] += envelope * tone
    loudest = max(abs(value) for value in mix)
    samples = array.array("h", (round(value / loudest * PEAK * SAMPLE_MAX) for value in mix))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def write_chime(path: Path = CHIME_PATH) -> Path:
    """Write the chime as a house-format MP3 to `path`."""
    return write_pcm(path, chime_frames())


if __name__ == "__main__":
    print(write_chime())

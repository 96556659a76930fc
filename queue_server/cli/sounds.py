"""`queue-server sounds build|survey`: regenerate the call clips or the survey clips."""
from __future__ import annotations

from pathlib import Path

from queue_server.cli import CommandError
from sounds.build import run_build


def add_commands(commands) -> None:
    sounds = commands.add_parser("sounds", help="voice clips").add_subparsers(
        dest="action", required=True)
    build = sounds.add_parser("build", help="regenerate a clip set")
    build.add_argument("--engine", choices=["gtts", "espeak"], default="espeak")
    build.add_argument("--lang", choices=["id", "en"], default="id")
    build.add_argument("--out", help="output folder (default: clips/ in the instance folder, "
                       "which the server prefers over the shipped set)")
    survey = sounds.add_parser("survey", help="rebuild the survey tablet's, the guest "
                               "book notices' and the visitors' kiosk's clips after changing "
                               "a survey or notice text or a service or category name "
                               "(espeak-ng, as MP3)")
    survey.add_argument("--out", help="output folder (default: the shipped clips folder)")


def run(config, args) -> int:
    if args.action == "survey":
        from queue_server.procedure.survey_audio import AUDIO_DIR, build
        from sounds.mp3 import EncoderMissingError
        from sounds.synth import SynthesisError
        out = Path(args.out) if args.out else AUDIO_DIR
        try:
            built, kept = build(config.procedure.survey, out, config.procedure.guest_book)
        except (SynthesisError, EncoderMissingError) as exc:  # espeak-ng or LAME missing
            raise CommandError(str(exc)) from None
        print(f"survey clips: {built} built, {kept} already there, in {out}")
        from queue_server.kiosk import audio as kiosk_audio
        out = Path(args.out) / "kiosk" if args.out else kiosk_audio.AUDIO_DIR
        try:
            built, kept = kiosk_audio.build(config, out)
        except (SynthesisError, EncoderMissingError) as exc:
            raise CommandError(str(exc)) from None
        print(f"kiosk clips: {built} built, {kept} already there, in {out}")
        return 0
    return run_build(args.engine, args.lang, Path(args.out or config.instance_dir / "clips"))

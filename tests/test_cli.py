"""The queue-server command: config errors, users add, db upgrade, init, a quiet console
and one error style."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml
from sqlalchemy import select
from werkzeug.security import check_password_hash

from queue_server.auth.models import Role, User
from queue_server.platform.database import make_engine, make_session_factory

from .support import ROOT, free_port, office_data, write_config


def run_cli(*args, stdin: str = "", env=None):
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=60, env=env)


def test_users_add_reads_the_password_from_stdin(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}")
    result = run_cli("--config", str(config), "users", "add", "siti", "--role", "officer",
                     "--password-stdin", stdin="kata-sandi-panjang\n")
    assert result.returncode == 0, result.stderr
    factory = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))
    with factory() as db:
        user = db.scalar(select(User).where(User.username == "siti"))
    assert user.role == Role.OFFICER
    assert check_password_hash(user.password_hash, "kata-sandi-panjang")
    assert "kata-sandi-panjang" not in user.password_hash
    again = run_cli("--config", str(config), "users", "add", "siti", "--role", "officer",
                    "--password-stdin", stdin="kata-sandi-panjang\n")
    assert again.returncode == 2 and "exists already" in again.stderr


def test_short_password_is_refused(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}")
    result = run_cli("--config", str(config), "users", "add", "budi", "--role", "admin",
                     "--password-stdin", stdin="123\n")
    assert result.returncode == 2 and "at least 8" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'new.db'}")
    result = run_cli("--config", str(config), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new.db").exists()


def bad_config(tmp_path, mutate) -> str:
    data = office_data()
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_bad_config_stops_start_up_naming_the_key(tmp_path):
    cases = [
        (lambda d: d["office"].update(timezone="Asia/Atlantis"), "office.timezone"),
        (lambda d: d["counters"][1].update(services=["NOPE"]), "counters[1].services[0]"),
        (lambda d: d["categories"][0].update(prefix="p1"), "categories[0].prefix"),
        (lambda d: d["queue"].update(max_priority_streak="three"), "queue.max_priority_streak"),
        (lambda d: d["display"]["audio"].update(volume=3), "display.audio.volume"),
        (lambda d: d.update(ticket_printer="kasir"), "ticket_printer"),
        (lambda d: d.pop("services"), "services"),
    ]
    for mutate, key in cases:
        config = bad_config(tmp_path, mutate)
        result = run_cli("--config", config, "run", "--port", "1")
        assert result.returncode == 2, (key, result.stdout, result.stderr)
        assert f"error: {config}: {key}:" in result.stderr
        assert "Traceback" not in result.stderr


def test_unreadable_and_invalid_yaml_config(tmp_path):
    missing = run_cli("--config", str(tmp_path / "none.yaml"), "db", "upgrade")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("office: [unclosed\n")
    result = run_cli("--config", str(broken), "db", "upgrade")
    assert result.returncode == 2 and "not valid YAML" in result.stderr


def test_sounds_build_with_espeak_writes_a_complete_clip_set(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}")
    result = run_cli("--config", str(config), "sounds", "build", "--engine", "espeak",
                     "--lang", "id")
    assert result.returncode == 0, result.stdout + result.stderr
    built = tmp_path / "instance" / "clips" / "id"
    assert (built / "nomor_antrean.mp3").read_bytes()[:2] == b"\xff\xf3"  # an MP3 frame
    assert (built / "sebelas.mp3").exists() and (built / "letter_p.mp3").exists()


def test_sounds_build_with_gtts_offline_falls_back_and_says_so(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}")
    result = run_cli("--config", str(config), "sounds", "build", "--engine", "gtts",
                     "--lang", "en")
    # No internet here: gTTS fails, every clip falls back to espeak-ng, and the
    # summary says so rather than leaving broken clips.
    output = (result.stdout + result.stderr).lower()
    assert result.returncode == 0, output
    assert "espeak" in output and ("offline" in output or "connect" in output)
    assert (tmp_path / "instance" / "clips" / "en" / "queue_number.mp3").stat().st_size > 1000


def test_init_writes_a_starter_office_that_loads_and_migrates(tmp_path):
    office = tmp_path / "antrean"
    result = run_cli("init", str(office))
    assert result.returncode == 0, result.stderr
    assert (office / "instance").is_dir()
    text = (office / "config.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Written by `queue-server init`")
    assert "queue-server users add admin --role admin" in result.stdout
    # From the office folder, with no --config: ./config.yaml, the database in instance/.
    upgraded = subprocess.run([sys.executable, "-m", "queue_server.cli", "db", "upgrade"],
                              capture_output=True, text=True, cwd=office, timeout=60,
                              env={**os.environ, "QUEUE_CONFIG": "", "DATABASE_URL": ""})
    assert upgraded.returncode == 0, upgraded.stderr
    assert (office / "instance" / "queue.db").exists()


def test_init_refuses_to_overwrite_a_config_unless_forced(tmp_path):
    (tmp_path / "config.yaml").write_text("office: {name: Kantor Kami}\n")
    refused = run_cli("init", str(tmp_path))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (f"error: {tmp_path / 'config.yaml'} exists already: edit it, or "
                              "add --force to replace it with the starter\n")
    assert (tmp_path / "config.yaml").read_text() == "office: {name: Kantor Kami}\n"
    forced = run_cli("init", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Kantor Kami" not in (tmp_path / "config.yaml").read_text(encoding="utf-8")


def test_a_missing_config_points_to_init(tmp_path):
    result = subprocess.run([sys.executable, "-m", "queue_server.cli", "run"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, "QUEUE_CONFIG": ""})
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read config.yaml: there is no such file; "
                                    "`queue-server init` writes a starter config.yaml")


def test_the_console_stays_quiet_unless_a_migration_runs(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'quiet.db'}")
    first = run_cli("--config", str(config), "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert re.fullmatch(r"Database upgraded to revision \w+\n", first.stderr), first.stderr
    again = run_cli("--config", str(config), "db", "upgrade")
    assert (again.stdout, again.stderr) == ("Database is up to date\n", "")
    listed = run_cli("--config", str(config), "users", "list")
    assert listed.stderr == ""
    assert listed.stdout == "no users yet: add one with `queue-server users add`\n"


def test_a_misspelt_key_stops_the_command_in_the_one_error_style(tmp_path):
    config = bad_config(tmp_path, lambda d: d["display"].update(recent_call=8))
    result = run_cli("--config", config, "users", "list")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"error: {config}: unknown key display.recent_call (did you mean "
                             "display.recent_calls?)\n")


def test_a_database_that_cannot_be_reached_is_one_error_line(tmp_path):
    config = write_config(tmp_path, f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x")
    result = run_cli("--config", str(config), "users", "list")
    assert result.returncode == 2
    assert result.stderr.startswith("error: the database cannot be used: "), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr

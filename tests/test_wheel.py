"""The wheel ships everything: built from a copy of the sources, installed into a fresh venv
outside the checkout without the network, it migrates a database and serves every page."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import requests

from tests.support import free_port

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = ("queue_server", "printer", "sounds")
"""Folders that go into the wheel as they are."""
DISPLAY = "display"
"""The TV page's folder, which goes into the wheel as queue_server/display."""
BUILD_FILES = ("pyproject.toml", "README.md", "LICENSE")
CLEAN_ENV = ("PYTHONPATH", "PYTHONHOME", "QUEUE_CONFIG", "DATABASE_URL", "REDIS_URL",
             "SECRET_KEY")
CONFIG = """\
office: {{name: Kantor Uji Wheel}}
services: [{{code: INFO, name: Informasi}}]
categories: [{{code: umum, name: Umum, priority: 0, prefix: A}}]
counters: [{{code: "1", name: Loket 1, services: ["*"]}}]
guest_book: {{categories: [{{code: umum, name: Umum, queue_category: umum}}]}}
database: {{url: "sqlite:///{database}"}}
instance_dir: {instance}
"""

pytestmark = pytest.mark.timeout(180)


def copy_sources(source: Path) -> None:
    """What the build needs, without caches or the checkout's editable-install metadata."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in (*PACKAGED, DISPLAY):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in BUILD_FILES:
        shutil.copy2(ROOT / name, source / name)


def expected_files(source: Path) -> set[str]:
    """Every file of the packaged folders, at its place in the wheel."""
    expected = set()
    for name in (*PACKAGED, DISPLAY):
        for path in (source / name).rglob("*"):
            if path.is_file():
                relative = path.relative_to(source).as_posix()
                expected.add(f"queue_server/{relative}" if name == DISPLAY else relative)
    return expected


def setuptools_can_build() -> bool:
    """Whether this venv's setuptools meets pyproject's build requirement (offline build)."""
    try:
        return int(metadata.version("setuptools").split(".")[0]) >= 77
    except (metadata.PackageNotFoundError, ValueError):
        return False


def build_wheel(source: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q",
               "-w", str(out)]
    if setuptools_can_build():
        command.append("--no-build-isolation")
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("queue_server-*.whl")
    return wheel


def make_venv(where: Path, wheel: Path) -> Path:
    """A venv with only the wheel installed; the dependencies come from this venv's
    site-packages through a plain path line, which does not run the editable-install finder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True,
                   timeout=60)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site.stdout.strip()) / "test-dependencies.pth").write_text("\n".join(paths) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--no-compile", "-q", str(wheel)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return where


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel from a copy of the sources and install it into a fresh venv."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    copy_sources(source)
    expected = expected_files(source)
    wheel = build_wheel(source, base / "dist")
    venv = make_venv(base / "venv", wheel)
    office = base / "office"
    office.mkdir()
    config = office / "config.yaml"
    config.write_text(CONFIG.format(database=office / "queue.db", instance=office / "instance"))
    env = {key: value for key, value in os.environ.items() if key not in CLEAN_ENV}
    env["PYTHONNOUSERSITE"] = "1"
    return {"source": source, "expected": expected, "wheel": wheel, "venv": venv,
            "office": office, "config": config, "env": env}


def run_in_venv(installed, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd=installed["office"],
                          env=installed["env"], timeout=60)


def test_the_wheel_holds_every_file_of_the_packages_and_the_tv_page(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    missing = sorted(installed["expected"] - names)
    assert missing == [], ("add their package to [tool.setuptools] packages, or their folder "
                           "to package-data, in pyproject.toml")
    for needed in ("queue_server/display/index.html", "queue_server/display/display.js",
                   "queue_server/display/vendor/socket.io.min.js",
                   "queue_server/platform/migrations/env.py",
                   "queue_server/platform/migrations/script.py.mako",
                   "queue_server/procedure/web/static/alert.mp3",
                   "queue_server/web/static/staff.js", "sounds/clips/chime.mp3"):
        assert needed in names
    assert any(re.fullmatch(r"queue_server/platform/migrations/versions/\w+\.py", n)
               for n in names)
    assert any(re.fullmatch(r"queue_server/procedure/web/static/audio/.+\.mp3", n)
               for n in names)


def test_the_venv_imports_the_installed_package_not_the_checkout(installed):
    probe = ("import json, flask, printer, sounds, queue_server\n"
             "from queue_server.tv import pages\n"
             "print(json.dumps({'queue_server': queue_server.__file__, "
             "'printer': printer.__file__, 'sounds': sounds.__file__, "
             "'display': str(pages.DISPLAY_DIR), 'flask': flask.__file__}))")
    result = run_in_venv(installed, str(installed["venv"] / "bin" / "python"), "-c", probe)
    assert result.returncode == 0, result.stderr
    found = {name: Path(path).resolve() for name, path in json.loads(result.stdout).items()}
    venv = installed["venv"].resolve()
    for name in ("queue_server", "printer", "sounds", "display"):
        assert found[name].is_relative_to(venv), (name, found[name])
    assert found["display"] == found["queue_server"].parent / "display"
    assert not found["flask"].is_relative_to(venv)  # the test venv's, through the .pth


def test_db_upgrade_runs_the_packaged_migrations(installed):
    result = run_in_venv(installed, str(installed["venv"] / "bin" / "queue-server"),
                         "--config", str(installed["config"]), "db", "upgrade")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"Database upgraded to revision \w+\n", result.stderr), result.stderr
    versions = sorted((installed["source"] / "queue_server/platform/migrations/versions")
                      .glob("*.py"))
    head = re.search(r"^revision = ['\"](.+)['\"]", versions[-1].read_text(), re.M)[1]
    with sqlite3.connect(installed["office"] / "queue.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"tickets", "users", "print_jobs", "visits"} <= tables


@contextlib.contextmanager
def serving(installed, cwd: Path, *options: str):
    """`queue-server [options] run` from the venv in cwd, in a process group of its own
    (gunicorn forks); yields its URL and the file its stdout and stderr go to."""
    port = free_port()
    log = cwd / f"server-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(installed["venv"] / "bin" / "queue-server"), *options, "run", "--port",
             str(port)], stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=installed["env"],
            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        yield url, log
    finally:
        stop(process)


@pytest.fixture
def server(installed):
    with serving(installed, installed["office"], "--config", str(installed["config"])) as (
            url, _):
        yield url


def stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    try:  # gunicorn's worker, should it outlive its master
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_the_installed_server_serves_the_tv_page_staff_pages_and_static_files(installed,
                                                                               server):
    audio = sorted((installed["source"] / "queue_server/procedure/web/static/audio")
                   .glob("*.mp3"))[0].name
    for path in ("/display", "/display/static/display.js", "/display/static/display.css",
                 "/display/static/vendor/socket.io.min.js", "/login", "/static/staff.js",
                 "/static/staff.css", "/static/tickets/reception.js",
                 "/static/printing/printer-panel.js", "/static/procedure/alert.mp3",
                 f"/static/procedure/audio/{audio}", "/healthz"):
        response = requests.get(server + path, timeout=10)
        assert response.status_code == 200, path
        assert response.content, path
    assert b"socket.io.min.js" in requests.get(server + "/display", timeout=10).content


def test_init_makes_an_office_folder_the_installed_server_starts_in(installed, tmp_path):
    """An office that installed the wheel with pip: `queue-server init`, then `queue-server
    run` in that folder starts, and the console says only what happened and what to do."""
    command = str(installed["venv"] / "bin" / "queue-server")
    office = tmp_path / "antrean"
    made = subprocess.run([command, "init", str(office)], capture_output=True, text=True,
                          cwd=tmp_path, env=installed["env"], timeout=60)
    assert made.returncode == 0, made.stdout + made.stderr
    assert (office / "instance").is_dir()
    with serving(installed, office) as (url, log):
        for path in ("/login", "/display", "/api/v1/display/state"):
            assert requests.get(url + path, timeout=10).status_code == 200, path
    output = log.read_text(encoding="utf-8")
    assert "INFO" not in output and "alembic" not in output, output
    lines = output.splitlines()
    assert re.fullmatch(r"Database upgraded to revision \w+", lines[0]), output
    assert lines[1].startswith(f"Serving BPMP Provinsi DKI Jakarta on {url} "), output
    assert lines[2].startswith("No staff account yet: in a second terminal"), output
    assert lines[3].strip() == f"{command} users add admin --role admin", output
    assert (office / "instance" / "queue.db").exists()

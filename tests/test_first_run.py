"""The first run: `make run` installs the server alone and shows what it does, on the port
asked for; `make test` adds the test tools; the extras pyproject asks for exist; README
answers what a newcomer asks."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement

from .support import ROOT

TEST_TOOLS = ("pytest", "playwright", "ruff", "schemathesis")


def make_dry_run(tmp_path, *args: str) -> str:
    """What `make` would run on a fresh machine (a venv that does not exist yet)."""
    result = subprocess.run(["make", "-n", f"VENV={tmp_path / 'venv'}", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.replace(str(tmp_path / "venv"), "VENV")


def install_lines(commands: str) -> list[str]:
    return [line for line in commands.splitlines() if " pip " in f" {line} "
            and " install " in line]


def test_make_run_installs_the_server_without_the_test_tools(tmp_path):
    commands = make_dry_run(tmp_path, "run")
    installs = install_lines(commands)
    assert installs, commands
    assert not any("[test]" in line or any(tool in line for tool in TEST_TOOLS)
                   for line in installs), installs
    assert "queue-server run --host 127.0.0.1 --port 5000" in commands


def test_make_run_says_it_is_installing_and_lets_pip_show_progress(tmp_path):
    commands = make_dry_run(tmp_path, "run")
    assert re.search(r"^echo .*Installing queue-server", commands, re.M), commands
    server_install = next(line for line in install_lines(commands) if "-e ." in line)
    assert "--quiet" not in server_install and " -q" not in server_install


def test_make_test_installs_the_test_tools(tmp_path):
    commands = make_dry_run(tmp_path, "test")
    assert any('".[test]"' in line or "'.[test]'" in line for line in install_lines(commands))


def test_make_run_takes_the_port_and_host(tmp_path):
    commands = make_dry_run(tmp_path, "run", "PORT=5050", "HOST=0.0.0.0")
    assert "queue-server run --host 0.0.0.0 --port 5050" in commands


def dependencies() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in (*project["dependencies"],
                                           *project["optional-dependencies"]["test"])]


@pytest.mark.parametrize("requirement", [r for r in dependencies() if r.extras],
                         ids=lambda r: r.name)
def test_every_extra_pyproject_asks_for_exists(requirement):
    """pip only warns about an extra that does not exist ("python-escpos 3.1 does not
    provide the extra 'qrcode'") and installs nothing for it."""
    offered = set(metadata.metadata(requirement.name).get_all("Provides-Extra") or [])
    assert requirement.extras <= offered, (requirement.extras - offered, sorted(offered))


def test_qr_images_have_their_library():
    """A printer without native QR gets an image made by qrcode: python-escpos requires it."""
    needs = [Requirement(text).name for text in metadata.requires("python-escpos") or []
             if "extra ==" not in text]
    assert "qrcode" in needs
    assert metadata.version("qrcode")


def test_readme_answers_the_first_questions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=5050" in readme
    assert "queue-server run --port" in readme
    assert "second terminal" in readme
    assert re.search(r"first `make test`.*(root|sudo)", readme, re.S | re.I)
    assert "queue-server init" in readme


def runtime_closure() -> set[str]:
    """The distributions `pip install queue-server` brings: the runtime dependencies with
    their extras, and theirs, as installed here (names normalised)."""
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pending = [Requirement(text) for text in project["dependencies"]]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        name = norm(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.update((key, name))
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra})
                                            for extra in ("", *requirement.extras)):
                pending.append(needed)
    return {key for key in seen if "[" not in key}


SERVER_IMPORTS = ("queue_server.app", "queue_server.cli.serve", "queue_server.web.serving",
                  "gunicorn.workers.ggevent", "gunicorn.workers.gthread", "gevent.monkey",
                  "printer.devices", "printer.layout", "escpos.printer", "qrcode")


def test_the_server_imports_only_what_its_dependencies_bring():
    """`make run` installs the runtime dependencies alone: every module the server and its
    gunicorn workers import must come from them, not from a test tool that happened to be
    installed too (gunicorn's gevent worker imports packaging, which only its `gevent`
    extra brings)."""
    allowed = runtime_closure() | {"queue-server"}
    owners = {module: sorted({re.sub(r"[-_.]+", "-", d).lower() for d in dists})
              for module, dists in metadata.packages_distributions().items()}
    blocked = sorted(module for module, dists in owners.items()
                     if not any(dist in allowed for dist in dists))
    probe = f"""
import importlib, importlib.abc, sys
BLOCKED = set({blocked!r})
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} is not a runtime dependency", name=name)
sys.meta_path.insert(0, Block())
for module in {SERVER_IMPORTS!r}:
    importlib.import_module(module)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]

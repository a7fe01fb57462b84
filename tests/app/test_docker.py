"""The Dockerfile: what it copies exists and is not ignored, its command serves the app, its health check
passes; and, where a docker daemon is reachable, the image builds and serves a page.

The build test is skipped (with the reason) without a daemon: CI never depends on docker. The other two
run everywhere: the image's own command line, taken from the Dockerfile, is started here (bound to the
loopback address instead of 0.0.0.0) and must serve a lesson; the HEALTHCHECK command must pass against it.
"""
from __future__ import annotations

from common import run_async
import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from bench.client import Session
from kit import ROOT
from kit.server import free_port, healthy, serve


DOCKERFILE = (ROOT / "Dockerfile").read_text()
IGNORED = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
           if p.strip() and not p.startswith("#")]


def instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in text.splitlines() if line.startswith(name + " ")]


def image_command() -> list[str]:
    (cmd,) = instructions("CMD")
    return json.loads(cmd)


def healthcheck_command() -> str:
    (hc,) = instructions("HEALTHCHECK")
    return hc.split(" CMD ", 1)[1]


def is_ignored(path: str) -> bool:
    return any(fnmatch.fnmatch(path, pat) or path.startswith(pat.rstrip("/") + "/") for pat in IGNORED)


def test_the_image_holds_everything_the_app_reads():
    copied = [src for args in instructions("COPY") for src in args.split()[:-1]]
    for needed in ("requirements.txt", "app.py", "serve.py", "pages", "rnnviz", "pretrained", ".streamlit",
                   "assets/icons"):
        assert needed in copied, f"the Dockerfile does not copy {needed}"
        assert (ROOT / needed).exists()
        assert not is_ignored(needed), f".dockerignore excludes {needed}"
    for weights in (ROOT / "pretrained").glob("*.safetensors"):
        assert not is_ignored(f"pretrained/{weights.name}")
    assert any("rnnviz.data" in run for run in instructions("RUN")), "the data sets are fetched at build time"
    for run in instructions("RUN"):                       # each RUN is valid shell (the image runs it with sh)
        assert subprocess.run(["sh", "-n", "-c", run]).returncode == 0, run
    assert ".venv" in IGNORED and ".git" in IGNORED      # the build context stays small
    cmd = image_command()
    assert cmd[:2] == ["python", "serve.py"]                # streamlit run app.py, torch imported early
    assert "--server.address=0.0.0.0" in cmd and "--server.port=8501" in cmd
    assert instructions("EXPOSE") == ["8501"]
    assert "/_stcore/health" in healthcheck_command()


def image_command_here():
    """The Dockerfile's CMD, started by the tests' launcher (tests/kit/server.py) in the repo: its own flags,
    but the loopback address and a free port (tests never bind 0.0.0.0). A context manager: the Server."""
    _python, script, *flags = image_command()                # ["python", "serve.py", "--server.…", …]
    flags = [f for f in flags if not f.startswith(("--server.address=", "--server.port="))]
    return serve(ROOT, command=(script,), flags=tuple(flags))


def assert_serves_a_lesson(url: str) -> None:
    async def visit():
        s = Session(url)
        await s.connect()
        try:
            sample = await s.open("Gradient_lab")
            return sample, s.chart("grad_norms"), s.exceptions
        finally:
            await s.close()

    sample, chart, exceptions = run_async(visit())
    assert sample.error is None and not exceptions, (sample, exceptions)
    assert chart and "‖∂L/∂h" in json.loads(chart)["layout"]["title"]["text"]   # the lab's main figure


def test_the_image_command_serves_a_lesson_and_passes_its_health_check():
    with image_command_here() as server:
        assert_serves_a_lesson(server.url)
        check = healthcheck_command().replace("127.0.0.1:8501", f"127.0.0.1:{server.port}")
        argv = [sys.executable if a == "python" else a for a in json.loads(check)] if check.startswith("[") \
            else [sys.executable if a == "python" else a for a in shlex.split(check)]
        assert subprocess.run(argv, timeout=30).returncode == 0


def docker_unavailable() -> str | None:
    if shutil.which("docker") is None:
        return "no docker command on PATH"
    info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
    if info.returncode != 0:
        return "no docker daemon reachable: " + (info.stderr.strip().splitlines() or ["docker info failed"])[-1]
    return None


@pytest.mark.timeout(1800)
def test_the_image_builds_and_serves_a_lesson():
    reason = docker_unavailable()
    if reason:
        pytest.skip(reason)
    tag = f"rnnviz-test:{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1700)
    port = free_port()
    name = tag.replace(":", "-")
    try:
        subprocess.run(["docker", "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8501", tag],
                       check=True, capture_output=True)
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 120
        while not healthy(url):
            assert time.monotonic() < deadline, "the container was not healthy within 120 s"
            time.sleep(1)
        assert_serves_a_lesson(url)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)

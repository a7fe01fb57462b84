"""The one server launcher: the tests' fixtures (tests/conftest.py), the browser and Docker tests, and every
bench that needs a live server (bench/load.py, bench/bench_*.py) start the app through `serve`.

    with serve(app_dir, log=path) as server:        # a fresh `streamlit run app.py`, healthy
        server.url, server.port, server.pid, server.log_tail()

What it guarantees, for every caller alike:
  - loopback only: it binds 127.0.0.1 (or another loopback address) and refuses any other host;
  - the same flags everywhere (FLAGS): headless, no usage statistics sent, no file watcher, full error
    details (a traceback shows in a failure message or a screenshot);
  - "started" means healthy: /_stcore/health answers ok. That probe is not a page request, so the first
    page a caller opens is the server's first;
  - a free port, retried: the port is found by binding and releasing it, so under pytest -n another server
    may take it first; the server then exits "already in use" and the launcher tries another port;
  - stopped through its own process group (the server runs in a session of its own, so the signal reaches
    what it started and nothing else), SIGTERM first, SIGKILL if it lingers.
Not pytest-specific (bench/ uses it too): a server that does not become healthy raises ServerError with the
end of its log. Also here: tree(pid) and trainings(pid), the server's processes read from /proc.
"""
from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]          # the repo: app.py and pages/ by default
HOST = "127.0.0.1"
START_TIMEOUT_S = 60                               # a cold `import torch` on a busy 2-core machine included
STREAMLIT_RUN = ("-m", "streamlit", "run", "app.py")   # after the interpreter; `("serve.py",)` is the other way
FLAGS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",            # else it phones home
    "--server.fileWatcherType=none",
    "--server.runOnSave=false",
    "--client.showErrorDetails=full",              # tracebacks in failure messages and screenshots
)
PORT_TRIES = 3


class ServerError(RuntimeError):
    """The server exited, or did not answer its health check in time (the message ends with its log)."""


@dataclass
class Server:
    url: str                  # e.g. http://127.0.0.1:54321 (no trailing slash)
    port: int
    proc: subprocess.Popen
    log: Path                 # what the server printed (a temporary file when the caller gave none)
    started: float            # time.perf_counter() just before the process was started

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """True when the server at `url` answers its health check with ok."""
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def serve(app_dir: Path = ROOT, *, log: Path | None = None, env: dict | None = None,
          command: tuple[str, ...] = STREAMLIT_RUN, flags: tuple[str, ...] = FLAGS, host: str = HOST,
          timeout: float = START_TIMEOUT_S, poll: float = 0.2):
    """Start `python <command> --server.address=HOST --server.port=<free> <flags>` in `app_dir`; yield the
    Server once healthy; stop it on leaving.

    log: the file the server's output goes to (overwritten); None: a temporary file, removed after.
    env: extra environment variables for the server (e.g. the trainings' bounds), over this process's own.
    command: what follows this interpreter (sys.executable): STREAMLIT_RUN, or ("serve.py",).
    flags: the rest of its command line (FLAGS; the Dockerfile's own flags for the image's command).
    poll: seconds between health checks (a cold-start bench polls faster).
    """
    if not is_loopback(host):
        raise ValueError(f"refusing host {host!r}: a test or bench server only ever binds a loopback address")
    argv = [sys.executable, *command]
    temporary = log is None
    if temporary:
        fd, name = tempfile.mkstemp(prefix="rnnviz-server-", suffix=".log")
        os.close(fd)
        log = Path(name)
    log.parent.mkdir(parents=True, exist_ok=True)
    environ = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    server = None
    try:
        for attempt in range(PORT_TRIES):
            port = free_port(host)
            started = time.perf_counter()
            with open(log, "wb") as out:
                proc = subprocess.Popen([*argv, f"--server.address={host}", f"--server.port={port}", *flags],
                                        cwd=app_dir, env=environ, stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
            server = Server(f"http://{host if ':' not in host else f'[{host}]'}:{port}", port, proc, log, started)
            if _wait_healthy(server, timeout, poll):
                break
            what = (f"exited with code {proc.returncode} before it was healthy" if proc.poll() is not None
                    else f"was not healthy after {timeout:g} s")
            _stop(proc)
            if "already in use" not in server.log_tail() or attempt == PORT_TRIES - 1:
                raise ServerError(f"{' '.join(argv[1:])} in {app_dir} {what}; its log ({log}):\n{server.log_tail()}")
        yield server
    finally:
        if server is not None:
            _stop(server.proc)
        if temporary:
            log.unlink(missing_ok=True)


def _wait_healthy(server: Server, timeout: float, poll: float) -> bool:
    deadline = time.monotonic() + timeout
    while not healthy(server.url):
        if server.proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's process group (only what serve started), politely first."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


# ----- the server's processes (read from /proc: Linux)

def tree(pid: int) -> list[int]:
    """`pid` and every process below it (children, their children ...)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def trainings(pid: int) -> list[int]:
    """The server's training processes (rnnviz/shared/live.py): everything below its fork server
    (multiprocessing's), which the server starts with the first training."""
    for child in tree(pid)[1:]:
        with contextlib.suppress(OSError):
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return tree(child)[1:]
    return []

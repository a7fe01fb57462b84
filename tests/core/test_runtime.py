"""rnnviz.runtime: the process settings the app and the benchmark share, checked by their effects
(counted, never timed)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import torch

from rnnviz import runtime

ROOT = Path(__file__).resolve().parents[2]


def test_every_rerun_thread_gets_the_settings():
    """Streamlit runs each rerun in a new thread, started by the server's thread: the subnormal flag (a
    per-thread CPU register) must be set in each, not once per process."""
    seen = []

    def rerun():
        runtime.configure()
        tiny = np.array([1e-39], dtype=np.float32) * np.float32(1.0)     # a float32 subnormal
        seen.append((float(tiny[0]) == 0.0, torch.get_num_threads()))

    def server():
        for _ in range(3):
            t = threading.Thread(target=rerun)
            t.start()
            t.join()

    s = threading.Thread(target=server)
    s.start()
    s.join()
    assert seen == [(True, 1)] * 3


def test_runtime_settings_apply_and_keep_the_lab_from_faulting():
    """runtime.configure is what the app and the benchmark run with. With glibc's freed memory kept,
    a repeated lab run reuses its memory instead of faulting on fresh pages (counted, not timed)."""
    script = (
        "import resource, torch\n"
        "from rnnviz import runtime\nfrom rnnviz.topics.lab import compute as lab\n"
        # the release thread (tested below) may hand memory back between runs on a busy machine, which is
        # its job; this test is about what keeping freed memory does for a run's own reuse
        "runtime.start_releasing = lambda *a, **k: False\n"
        "settings = runtime.configure()\n"
        "cfg = lab.LabConfig(T=200, H=64)\n"
        "for _ in range(3): lab.run(cfg)\n"
        "runs = []\n"
        "for _ in range(5):\n"
        "    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "    lab.run(cfg)\n"
        "    runs.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)\n"
        "print(settings['keep_freed_memory'], torch.get_num_threads(), min(runs))\n")   # the steady run: a busy machine's one-off spike aside
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    kept, threads, faults = out.stdout.split()
    assert threads == "1"
    if sys.platform.startswith("linux") and kept == "True":
        assert float(faults) < 300, out.stdout                # thousands per run without the setting
    assert np.isfinite(float(faults))


def test_numpy_blas_runs_on_one_thread():
    """NumPy's OpenBLAS woke a second worker for the lab's small products, which cost a scheduler tick
    each on a busy machine: after configure it reports one thread (counted through its own getter)."""
    import ctypes
    import glob

    runtime.configure()
    libs = glob.glob(str(Path(np.__file__).parent) + ".libs/*openblas*")
    getters = [getattr(ctypes.CDLL(p), n, None) for p in libs
               for n in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads")]
    getters = [g for g in getters if g is not None]
    if not getters:
        assert runtime.numpy_blas_one_thread() is False     # no OpenBLAS found: nothing is claimed
        return
    assert runtime.configure()["one_blas_thread"] is True
    assert getters[0]() == 1


def test_piled_up_free_memory_is_given_back_and_arenas_are_few():
    """Issue 19: freed memory that piles up in malloc's arenas (a busy room's transient results) goes back to
    the operating system within seconds, while a run's own reuse is left alone. Measured in a fresh process:
    the resident set after freeing ~400 MB of scattered blocks, then two seconds later."""
    script = (
        "import random, time\n"
        "from rnnviz import runtime\n"
        "settings = runtime.configure()\n"
        "rng = random.Random(0)\n"
        "blocks = [bytearray(rng.randint(100, 1_500_000)) for _ in range(600)]\n"
        "kept = blocks[::7]; del blocks\n"
        "freed = runtime.resident_bytes()\n"
        "time.sleep(2.5)\n"
        "print(settings['few_arenas'], settings['release_free_memory'], freed >> 20, runtime.resident_bytes() >> 20,"
        " runtime.idle_bytes() >> 20)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    few, releasing, freed_mb, later_mb, idle_mb = out.stdout.split()
    if not (sys.platform.startswith("linux") and releasing == "True"):
        assert releasing == "False"                   # no glibc or no /proc: nothing is claimed
        return
    assert few == "True"
    assert int(freed_mb) - int(later_mb) > 250, out.stdout   # ~400 MB were free and resident, now given back
    assert int(idle_mb) < int(later_mb)


def test_the_releasing_thread_stops_when_told():
    stop = threading.Event()
    before = {t.name for t in threading.enumerate()}
    if not runtime.start_releasing(every=0.05, stop=stop):
        return                                         # no glibc or no /proc
    stop.set()
    time.sleep(0.3)
    alive = [t for t in threading.enumerate() if t.name == "rnnviz-release-free-memory" and t.name not in before]
    assert not alive

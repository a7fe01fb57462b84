"""rnnviz.runtime: the process settings the app and the benchmark share, checked by their effects
(counted, never timed)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import torch

from rnnviz import runtime

ROOT = Path(__file__).resolve().parents[1]


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
        "from rnnviz import runtime\nfrom rnnviz.lessons import lab\n"
        "settings = runtime.configure()\n"
        "cfg = lab.LabConfig(T=200, H=64)\n"
        "for _ in range(3): lab.run(cfg)\n"
        "f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "for _ in range(5): lab.run(cfg)\n"
        "f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "print(settings['keep_freed_memory'], torch.get_num_threads(), (f1 - f0) / 5)\n")
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

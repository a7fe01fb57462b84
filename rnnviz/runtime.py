"""The process-wide settings the app runs its computations with. The app (ui.page_setup) and the
benchmark both call `configure`, so `make bench` measures what a student's browser waits for.

Each setting was measured on these 2-core machines (NOTES.md, README "Benchmark"):
- Float subnormals: a vanishing gradient passes through them, and this kind of CPU handles them ~8×
  slower; flushing them to zero changes no figure.
- One torch thread per computation: the lab's work is thousands of tiny ops, where a second OpenMP
  thread only adds hand-offs, and busy-waiting threads of concurrent sessions slowed a rerun 2–5×.
- One BLAS thread in NumPy too (process-wide, once): NumPy's OpenBLAS starts a worker per core for a
  product as small as the lab's (128×1600)·(1600×32) parameter-gradient sum, and on a busy 2-core machine
  waking it cost a scheduler tick: 8–48 ms per product measured, against 0.1–0.4 ms on one thread. The
  Gradient lab's rerun after a T move spent more time there than in all of its BPTT.
- Freed memory is kept (glibc only): by default glibc hands a freed block of more than 128 kB (or of
  its adaptive threshold) back to the operating system, and takes it again, page by page, on the next
  allocation: a page fault every 4 kB, a few µs each on a virtual machine. A gradient-lab run
  allocates ~15 MB of trace and gradient arrays; it paid 1,200–5,500 faults per run (depending on the
  heap's history), 0–30 with this setting, and ran 52 → 34 ms in an in-process A/B against the plain
  128 kB thresholds. Keeping up to 64 MB of freed memory per arena for reuse removes them.
"""
from __future__ import annotations

import ctypes

import torch

# mallopt parameters (glibc's malloc.h) and the values used: the largest mmap threshold glibc accepts
# on 64-bit, and twice that kept before trimming.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024


_malloc: dict[str, bool] = {}


def configure() -> dict[str, bool]:
    """Apply every setting; returns which took effect. Call it in the thread that computes (every page
    does, on every rerun): the subnormal flag lives in the CPU's per-thread control register, and
    Streamlit runs each rerun in a new thread, which inherits it from the server's thread, not from
    the last rerun. The allocator setting is process-wide and applied once."""
    torch.set_flush_denormal(True)
    torch.set_num_threads(1)
    if not _malloc:
        _malloc["keep_freed_memory"] = keep_freed_memory()
        _malloc["one_blas_thread"] = numpy_blas_one_thread()
    return {"flush_denormal": True, "one_thread": torch.get_num_threads() == 1, **_malloc}


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse instead of returning it to the OS at once. True when it
    applied; False where the C library is not glibc (macOS, musl, Windows): nothing changes there."""
    try:
        mallopt = ctypes.CDLL(None).mallopt          # the C library already loaded into this process
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))


# The thread-count setters of the OpenBLAS builds NumPy wheels bundle (scipy-openblas, 64-bit ints) or a
# system OpenBLAS NumPy was built against.
_OPENBLAS_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                     "openblas_set_num_threads64_", "openblas_set_num_threads")


def numpy_blas_one_thread() -> bool:
    """Run NumPy's OpenBLAS on one thread (what OPENBLAS_NUM_THREADS=1 does, but after NumPy is imported).
    True when it applied; False where NumPy's BLAS is not an OpenBLAS this finds (then nothing changes)."""
    import glob
    import os

    import numpy as np

    libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))    # wheels (Linux)
    libs += glob.glob(os.path.join(os.path.dirname(np.__file__), ".dylibs", "*openblas*"))  # wheels (macOS)
    for path in libs:
        try:
            lib = ctypes.CDLL(path)                  # already loaded by NumPy: the same library, not a copy
        except OSError:
            continue
        for name in _OPENBLAS_SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter.argtypes, setter.restype = [ctypes.c_int], None
                setter(1)
                return True
    return False

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
- Few malloc arenas (glibc only): every rerun is a new thread, and glibc gives concurrent threads arenas
  of their own, up to 8 per core, each keeping the freed memory of its own peak. A room of 30 sessions
  asking for the heaviest views made 16 and held 0.7–0.85 GB free in them for 0.55 GB in use (mallinfo2);
  capped at ARENAS from the first page on (glibc keeps the few the server made before that), it makes 7, and
  the same room peaked at 1.07 GB instead of 1.22 (bench/bench_server_memory.py). Runs hold the GIL for
  their Python, so they rarely wait on an arena's lock.
- Freed memory is given back once it has piled up (glibc only): a thread of this module compares the
  process's resident set with what malloc has handed out (mallinfo2) once a second, and when the resident
  memory nobody uses has grown by RELEASE_AFTER_BYTES over its lowest level, malloc_trim(0) returns every
  free page of every arena to the operating system (a few ms, in that thread, without the GIL). One
  student's reruns never grow it that much, so the setting above still spares their page faults (the
  in-process page reruns of `make bench` and `make load`'s p95 did not move); in the room above the
  server then levelled off at 1.07 GB, where without it it was still climbing at 1.23 GB, and it
  shrinks back when the class leaves. Issue 19's ceiling (rnnviz/budget.py) counts on both settings.
"""
from __future__ import annotations

import ctypes
import glob
import os
import threading

import numpy as np
import torch

# mallopt parameters (glibc's malloc.h) and the values used: the largest mmap threshold glibc accepts
# on 64-bit, and twice that kept before trimming.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024
ARENAS = 2                                       # one per core of the machines the app is measured on
RELEASE_AFTER_BYTES = 64 * 1024 * 1024           # resident memory nobody uses, over its lowest, that triggers a release
RELEASE_EVERY_S = 1.0


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
        _malloc["few_arenas"] = few_arenas()
        _malloc["release_free_memory"] = start_releasing()
        _malloc["one_blas_thread"] = numpy_blas_one_thread()
    return {"flush_denormal": True, "one_thread": torch.get_num_threads() == 1, **_malloc}


def _libc(name: str):
    """A function of the C library already loaded into this process, or None (not glibc, or no such function)."""
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError, TypeError):
        return None


def _mallopt(param: int, value: int) -> bool:
    mallopt = _libc("mallopt")
    if mallopt is None or _libc("malloc_trim") is None:     # malloc_trim: glibc's, where mallopt means the same
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(param, value))


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse instead of returning it to the OS at once. True when it
    applied; False where the C library is not glibc (macOS, musl, Windows): nothing changes there."""
    return _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) and _mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)


def few_arenas(arenas: int = ARENAS) -> bool:
    """No new malloc arena once `arenas` exist (glibc fixes its limit when a thread first needs an arena
    beyond its 8th; a server that calls this on its first page run has made 4–5). True when it applied."""
    return _mallopt(M_ARENA_MAX, arenas)


def resident_bytes() -> int:
    """This process's resident set now (Linux /proc/self/statm), 0 where there is none."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def release_free_memory() -> bool:
    """Return every free page of every malloc arena to the operating system now (glibc's malloc_trim(0)).
    True when something was released."""
    trim = _libc("malloc_trim")
    if trim is None:
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return bool(trim(0))


class _Mallinfo2(ctypes.Structure):
    """glibc's struct mallinfo2 (malloc.h, glibc 2.33 on): byte counts over every arena."""
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_in_use() -> int | None:
    """Bytes malloc has handed out and not had back (in the arenas, and mapped on their own), or None where
    the C library cannot say (no glibc 2.33+)."""
    info = _libc("mallinfo2")
    if info is None:
        return None
    info.argtypes, info.restype = [], _Mallinfo2
    m = info()
    return m.uordblks + m.hblkhd


def idle_bytes() -> int:
    """Resident memory not in use by malloc's callers: free pages the arenas keep, plus what never came from
    malloc (the libraries' code, Python's own small-object arenas, thread stacks), which changes little."""
    used = malloc_in_use()
    return resident_bytes() - (used or 0)


def _release_when_grown(step: int, every: float, stop: threading.Event) -> None:
    """The releasing thread's loop: release when the resident memory that is not in use has grown by `step`
    over its lowest level (free pages kept by the arenas, after a busy moment), and raise that level when a
    release finds nothing to give back (what is not malloc's grew)."""
    floor = idle_bytes()
    while not stop.wait(every):
        idle = idle_bytes()
        if idle > floor + step:
            release_free_memory()
            after = idle_bytes()
            floor = after if after > floor + step // 2 else min(floor, after)
        else:
            floor = min(floor, idle)


def start_releasing(step: int = RELEASE_AFTER_BYTES, every: float = RELEASE_EVERY_S,
                    stop: threading.Event | None = None) -> bool:
    """Start the thread that gives piled-up free memory back (a daemon: it ends with the process, or when
    `stop` is set). False, and no thread, where there is no /proc or no glibc."""
    if not resident_bytes() or _libc("malloc_trim") is None:
        return False
    threading.Thread(target=_release_when_grown, args=(step, every, stop or threading.Event()),
                     name="rnnviz-release-free-memory", daemon=True).start()
    return True


# The thread-count setters of the OpenBLAS builds NumPy wheels bundle (scipy-openblas, 64-bit ints) or a
# system OpenBLAS NumPy was built against.
_OPENBLAS_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                     "openblas_set_num_threads64_", "openblas_set_num_threads")


def numpy_blas_one_thread() -> bool:
    """Run NumPy's OpenBLAS on one thread (what OPENBLAS_NUM_THREADS=1 does, but after NumPy is imported).
    True when it applied; False where NumPy's BLAS is not an OpenBLAS this finds (then nothing changes)."""
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

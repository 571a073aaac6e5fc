"""Peak memory of the running process, for benchmarks that measure in a child process.

VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over through exec from the
forking parent, so a small child started by a large Django process would report the
parent's peak. No Django import here: children that must stay small import this alone.
"""

from __future__ import annotations

from pathlib import Path


def peak_rss_bytes() -> int:
    status = Path("/proc/self/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024

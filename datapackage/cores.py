"""How many cores this process may run on."""

import os


def usable() -> int:
    """The cores the process is allowed (its affinity, which a container or
    `taskset` narrows), else every core of the machine."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1

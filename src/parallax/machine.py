"""What a benchmark's figures were measured on: platform, CPU, core count, Python and package versions."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from parallax.version import __version__

__all__ = ["describe_machine"]


def describe_machine(packages: Iterable[str]) -> dict[str, Any]:
    """The machine and the versions of parallax and `packages`, written next to every benchmark's figures."""
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {"parallax": __version__, **{name: version(name) for name in packages}},
    }

"""`make bench`: run every benchmark of bench/ in turn; each writes its own section of
docs/benchmarks.md with the machine and the date. Extra arguments go to every script.

    .venv/bin/python bench/run.py [--only demo_build,journal] [args…]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# In this order: later benchmarks reuse the database the earlier ones leave behind.
SCRIPTS = [
    "demo_build",
    "journal",
    "resources",
    "events",
    "schedule",
    "programs",
    "readiness",
    "weights",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="Comma-separated script names.")
    args, rest = parser.parse_known_args()
    chosen = [s for s in SCRIPTS if not args.only or s in args.only.split(",")]
    failed = []
    for name in chosen:
        path = BENCH / f"{name}.py"
        if not path.exists():
            continue
        print(f"== bench/{name}.py", flush=True)
        if subprocess.call([sys.executable, str(path), *rest]) != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

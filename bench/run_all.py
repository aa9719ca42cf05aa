"""`make bench`: run every benchmark in turn against real daphne, Redis and
PostgreSQL (BENCH_DATABASE_URL / BENCH_REDIS_URL, defaulting to the local services)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "crisis_net.py",
    "markup_worst_case.py",
    "thread_page.py",
    "circle_page.py",
    "page_profile.py",
    "pages_concurrency.py",
    "chat_fanout.py",
    "search.py",
    "load.py",
    "capacity.py",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        script = HERE / name
        if not script.exists():
            print(f"(skipping {name}: not written yet)")
            continue
        print(f"\n===== {name} =====", flush=True)
        if subprocess.run(
            [sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent
        ).returncode:
            failed.append(name)
    if failed:
        print("FAILED:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

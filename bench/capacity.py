"""Issue 18's capacity row: 25 circles of 10 members at 200 messages a second (2,000
deliveries a second), on one daphne process and then on two, through `load.py
--no-faults` (a private Redis, PostgreSQL, no restart, no outage). Prints each run's
deliveries a second, fan-out latency and server CPU per message, and how the figure
grows from one process to two.

    python bench/capacity.py [--rate 200] [--messages 6000]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(processes: int, rate: float, messages: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "load.py"),
            "--no-faults",
            "--circles",
            "25",
            "--per-circle",
            "10",
            "--messages",
            str(messages),
            "--rate",
            str(rate),
            "--processes",
            str(processes),
        ],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    start = done.stdout.find("{")
    if done.returncode or start < 0:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(f"load.py with {processes} process(es) failed")
    return json.loads(done.stdout[start:])["load"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--messages", type=int, default=6000)
    args, _rest = parser.parse_known_args()
    results = {}
    for processes in (1, 2):
        load = run(processes, args.rate, args.messages)
        results[processes] = load
        cpu = sum(load["server_cpu_s"])
        print(
            f"{processes} process(es), 25 circles of 10, {args.rate:.0f} msg/s: "
            f"{load['deliveries_per_s']:,.0f} deliveries/s "
            f"(target {args.rate * 9:,.0f}), p50 {load['latency_ms']['p50']:,.0f} ms, "
            f"p99 {load['latency_ms']['p99']:,.0f} ms (target 250), "
            f"server CPU {1000 * cpu / load['messages_sent']:.1f} ms a message, "
            f"lost {load['lost']}, duplicated {load['duplicated']}, "
            f"reordered {load['reordered']}",
            flush=True,
        )
    one, two = results[1], results[2]
    per_message = 1000 * sum(one["server_cpu_s"]) / one["messages_sent"]
    print(
        f"two processes / one: {two['deliveries_per_s'] / one['deliveries_per_s']:.2f}x "
        f"deliveries a second; model: a process on a free core carries about "
        f"{1000 / per_message:.0f} messages a second at N=10"
    )
    return 0 if one["lost"] == 0 and two["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

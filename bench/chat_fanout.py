"""Chat fan-out: one member sends, every other member receives, through real daphne,
Redis and PostgreSQL. Interleaved in the same run, the same load through two
baselines on the same Redis: a bare relay (websockets + Redis pub/sub, no Django)
and the Channels tutorial's plain chat consumer (no auth, no persistence).

    python bench/chat_fanout.py            # 1,000 messages at 20/s, 120 at 2/s
    python bench/chat_fanout.py --full     # 1,000 messages at both rates
    python bench/chat_fanout.py --quick    # a smoke run
    python bench/chat_fanout.py --only-20  # 20/s and saturation only
    python bench/chat_fanout.py --only-20 --variant before=/tmp/before-tree
                                           # also another checkout's chat, interleaved

Reported per system, for N = 10 and 50 members: fan-out latency (send to receipt at
every other member) p50/p95/p99, deliveries a second in a saturation phase (at most
10 unacknowledged), the server's CPU time per delivery, and lost, duplicated and
reordered messages.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PY,
    ROOT,
    Daphne,
    bench_env,
    free_port,
    reset_database,
    summary_ms,
)  # noqa: E402
from bench.load import RedisServer, seed  # noqa: E402


class Process:
    """A server process of any kind, for CPU accounting."""

    def __init__(self, proc):
        self.proc = proc

    def cpu_seconds(self) -> float:
        import os

        fields = (
            Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        )
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class System:
    """How to reach one system under test, and how its frames look."""

    def __init__(self, name, url_for, encode, decode, server):
        self.name, self.url_for, self.encode, self.decode = (
            name,
            url_for,
            encode,
            decode,
        )
        self.server = server


PHASE = [f"run{int(time.time())}"]


async def run_phase(
    system: System, members: list[dict], *, count: int, rate: float | None
):
    """Send `count` messages from members[0]; `rate` None means saturation (at most
    10 unacknowledged). Returns figures for the phase."""
    PHASE[0] = f"{PHASE[0].split('.')[0]}.{time.perf_counter_ns()}"
    receivers: list[list[int]] = [[] for _ in members]
    latencies: list[float] = []
    sent_at: dict[int, float] = {}
    acked = asyncio.Semaphore(10)
    done = asyncio.Event()
    sockets = []
    for member in members:
        url, headers = system.url_for(member)
        sockets.append(
            await websockets.connect(url, additional_headers=headers, max_size=2**22)
        )
    await asyncio.sleep(0.5)
    # Drain what arrives on connect (presence, catch-up) before measuring.
    for ws in sockets:
        while True:
            try:
                await asyncio.wait_for(ws.recv(), 0.05)
            except TimeoutError:
                break

    async def read(i, ws):
        try:
            async for raw in ws:
                n = system.decode(raw)
                if n is None:
                    continue
                now = time.perf_counter()
                receivers[i].append(n)
                if i == 0:
                    acked.release()
                elif n in sent_at:
                    latencies.append(now - sent_at[n])
                if all(len(r) >= count for r in receivers):
                    done.set()
        except websockets.ConnectionClosed:
            pass

    readers = [asyncio.create_task(read(i, ws)) for i, ws in enumerate(sockets)]
    cpu0 = system.server.cpu_seconds()
    start = time.perf_counter()
    for n in range(count):
        if rate is None:
            await acked.acquire()
        else:
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        sent_at[n] = time.perf_counter()
        await sockets[0].send(system.encode(n))
    try:
        await asyncio.wait_for(done.wait(), 30)
    except TimeoutError:
        pass
    elapsed = time.perf_counter() - start
    cpu = system.server.cpu_seconds() - cpu0
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    deliveries = sum(len(r) for r in receivers[1:])
    lost = sum(count - len(set(r)) for r in receivers)
    duplicated = sum(len(r) - len(set(r)) for r in receivers)
    reordered = sum(
        sum(1 for a, b in zip(r, r[1:], strict=False) if b < a) for r in receivers
    )
    return {
        "latency_ms": summary_ms(latencies),
        "deliveries_per_s": deliveries / elapsed if elapsed else 0.0,
        "cpu_ms_per_delivery": 1000 * cpu / deliveries if deliveries else float("nan"),
        "lost": lost,
        "duplicated": duplicated,
        "reordered": reordered,
    }


def systems(
    env,
    ours: Daphne,
    tutorial: Daphne,
    relay_port: int,
    relay: Process,
    variants: dict[str, Daphne] | None = None,
):
    def ours_url_for(server: Daphne):
        def url(member):
            return (
                f"ws://127.0.0.1:{server.port}/ws/circles/{member['slug']}/",
                {"Cookie": f"sessionid={member['session']}", "Origin": server.url},
            )

        return url

    def ours_decode(raw):
        frame = json.loads(raw)
        if frame.get("type") != "chat.message":
            return None
        return int(frame["message"]["client_id"].rsplit("-", 1)[1])

    def ours_encode(n):
        client_id = f"{PHASE[0]}-{n}"  # unique per phase: a reused id is a resend
        return json.dumps(
            {"type": "chat.send", "body": f"message {n}", "client_id": client_id}
        )

    def tutorial_url(member):
        return f"ws://127.0.0.1:{tutorial.port}/ws/chat/{member['slug']}/", {
            "Origin": tutorial.url
        }

    def relay_url(member):
        return f"ws://127.0.0.1:{relay_port}/", {}

    return [
        System("bare relay", relay_url, str, int, relay),
        System(
            "tutorial consumer",
            tutorial_url,
            lambda n: json.dumps({"message": n}),
            lambda raw: json.loads(raw)["message"],
            tutorial,
        ),
        System("circles chat", ours_url_for(ours), ours_encode, ours_decode, ours),
        *(
            System(
                f"circles chat [{name}]",
                ours_url_for(server),
                ours_encode,
                ours_decode,
                server,
            )
            for name, server in (variants or {}).items()
        ),
    ]


def table(results) -> str:
    lines = [
        "| N | rate | system | p50 ms | p95 ms | p99 ms | deliveries/s (saturated) "
        "| CPU ms/delivery | lost | dup | reordered |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (n, rate, name), r in results.items():
        sat = results.get((n, "saturated", name))
        if rate == "saturated":
            continue
        lat = r["latency_ms"]
        lines.append(
            f"| {n} | {rate}/s | {name} | {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} "
            f"| {sat['deliveries_per_s']:.0f} | {sat['cpu_ms_per_delivery']:.3f} "
            f"| {r['lost'] + sat['lost']} | {r['duplicated'] + sat['duplicated']} "
            f"| {r['reordered'] + sat['reordered']} |"
        )
    return "\n".join(lines)


def ratios(results) -> str:
    out = []
    for (n, rate, name), r in results.items():
        if not name.startswith("circles chat"):
            continue
        for base in ("bare relay", "tutorial consumer"):
            b = results.get((n, rate, base))
            if b is None:
                continue
            if rate == "saturated":
                out.append(
                    f"{name} N={n} saturated: CPU/delivery {r['cpu_ms_per_delivery'] / b['cpu_ms_per_delivery']:.2f}x "
                    f"{base}; throughput {r['deliveries_per_s'] / b['deliveries_per_s']:.2f}x {base}"
                )
            else:
                out.append(
                    f"{name} N={n} {rate}/s: p50 {r['latency_ms']['p50'] / b['latency_ms']['p50']:.2f}x {base}"
                )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument(
        "--only-20", action="store_true", help="skip the 2/s phases (issue 18's rows)"
    )
    parser.add_argument(
        "--sizes", default="10,50", help="circle sizes to run, e.g. 10 (default 10,50)"
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="also run the chat of another checkout (same migrations), interleaved",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=0,
        help="messages in each rated phase (default: the plan's)",
    )
    parser.add_argument(
        "--saturated-count",
        type=int,
        default=0,
        help="messages in the saturation phase (default: the plan's)",
    )
    parser.add_argument(
        "--no-relay", action="store_true", help="skip the bare relay (faster runs)"
    )
    parser.add_argument(
        "--rotate",
        type=int,
        default=0,
        help="start each phase's round at this system (runs rotate who goes first)",
    )
    parser.add_argument(
        "--json", metavar="PATH", help="also append this run's figures to PATH"
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    if args.quick:
        plan = [(20, 200), (2, 20)]
        saturated = 300
    elif args.full:
        plan = [(20, 1000), (2, 1000)]
        saturated = 1000
    else:
        plan = [(20, 1000), (2, 120)]
        saturated = 1000
    if args.only_20:
        plan = plan[:1]
    if args.count:
        plan = [(rate, args.count) for rate, _ in plan]
    saturated = args.saturated_count or saturated
    redis_server = RedisServer()  # a private Redis: nothing else publishes on it
    redis_server.start()
    env = bench_env(CHAT_RATE_LIMIT_COUNT="10000000", BENCH_REDIS_URL=redis_server.url)
    reset_database(env)
    members_all = seed(env, circles=2, per_circle=50)
    ours, tutorial = (
        Daphne(env=env).start(),
        Daphne("bench.baselines.tutorial_chat:application", env=env).start(),
    )
    variants = {}
    for spec in args.variant:
        name, path = spec.split("=", 1)
        variants[name] = Daphne(env=env, cwd=Path(path)).start()
    relay_port = free_port()
    relay_proc = subprocess.Popen(
        [PY, "-m", "bench.baselines.bare_relay", str(relay_port), env["REDIS_URL"]],
        cwd=ROOT,
    )
    time.sleep(1.0)
    results = {}
    try:
        all_systems = systems(
            env, ours, tutorial, relay_port, Process(relay_proc), variants
        )
        if args.no_relay:
            all_systems = [s for s in all_systems if s.name != "bare relay"]
        shift = args.rotate % len(all_systems)
        all_systems = all_systems[shift:] + all_systems[:shift]
        for n in sizes:
            for index, (rate, count) in enumerate(plan):
                # Each phase a fresh circle slice, so catch-up never mixes runs.
                members = members_all[50 * (index % 2) : 50 * (index % 2) + n]
                for system in all_systems:  # interleaved: same minute, same machine
                    r = asyncio.run(run_phase(system, members, count=count, rate=rate))
                    results[(n, rate, system.name)] = r
                    print(
                        f"N={n} {rate}/s {system.name}: p50 {r['latency_ms']['p50']:.1f} ms "
                        f"lost {r['lost']} dup {r['duplicated']} reordered {r['reordered']}",
                        flush=True,
                    )
            for system in all_systems:
                r = asyncio.run(
                    run_phase(system, members_all[:n], count=saturated, rate=None)
                )
                results[(n, "saturated", system.name)] = r
                print(
                    f"N={n} saturated {system.name}: {r['deliveries_per_s']:.0f} deliveries/s, "
                    f"{r['cpu_ms_per_delivery']:.3f} CPU ms/delivery",
                    flush=True,
                )
    finally:
        ours.stop()
        tutorial.stop()
        for server in variants.values():
            server.stop()
        relay_proc.terminate()
        redis_server.stop()
    if args.json:
        with open(args.json, "a") as out:
            out.write(
                json.dumps(
                    {f"{n}|{rate}|{name}": r for (n, rate, name), r in results.items()}
                )
                + "\n"
            )
    print()
    print(table(results))
    print()
    print(ratios(results))
    ours_ok = all(
        r["lost"] == 0 and r["duplicated"] == 0 and r["reordered"] == 0
        for (n, rate, name), r in results.items()
        if name.startswith("circles chat")
    )
    return 0 if ours_ok else 1


if __name__ == "__main__":
    sys.exit(main())

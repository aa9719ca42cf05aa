"""Load and fault runs: many members on two daphne processes, a process restart, and
a Redis outage. Loopback only, bounded in time; the figures go to bench/README.md.

    python bench/load.py [--quick] [--rate N]

The run starts its own redis-server on a free port (so stopping it disturbs nothing
else) and uses the PostgreSQL bench database (BENCH_DATABASE_URL).

Phase 1: members spread over circles, half on each of two daphne processes, send
messages at a fixed rate; one process is restarted in the middle. Its clients
reconnect with `?after=<last id>` and resend what was not confirmed (same
`client_id`). Counted at the end, per member: lost (a seq never received, even after
a final `chat.history` catch-up), duplicated (a message id received twice) and
reordered (a live message older than one already shown).

Phase 2: Redis is stopped for ten seconds. Pages and /healthz are probed, a member
sends a message, then Redis comes back and the time until chat delivers across
processes again is measured.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.error
import uuid
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    Daphne,
    bench_env,
    free_port,
    http_get,
    reset_database,
    summary_ms,
)


class RedisServer:
    """A private redis-server on a free port that the run may stop and restart."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).returncode
                == 0
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def seed(env: dict, *, circles: int, per_circle: int) -> list[dict]:
    """Create circles and members through the services; return one entry a member."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    # Imported here, after django.setup(): the bench scripts configure Django
    # themselves, from the environment they build.
    from circles.memberships import services as membership_services
    from community.accounts.models import User

    members = []
    for c in range(circles):
        people = []
        for m in range(per_circle):
            user = User(username=f"load-{c}-{m}", display_name=f"Load {c}-{m}")
            user.set_unusable_password()
            user.save()
            people.append(user)
        circle = membership_services.circle_create(
            creator=people[0], name=f"Load circle {c}", capacity=max(per_circle, 2)
        )
        for user in people[1:]:
            membership_services.membership_join(
                user=user, circle=circle, accept_guidelines=True
            )
        for user in people:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            members.append(
                {
                    "circle": circle.pk,
                    "slug": circle.slug,
                    "session": session.session_key,
                    "user": user.pk,
                }
            )
    return members


def stored_counts() -> dict[int, int]:
    from circles.models import Circle

    return dict(Circle.objects.values_list("pk", "chat_seq"))


class Stats:
    def __init__(self):
        self.sent_at: dict[str, float] = {}
        self.latencies: list[float] = []
        self.deliveries = 0
        self.errors: dict[str, int] = {}


class Member:
    """One browser tab's worth of chat client: reconnects, catches up, resends."""

    def __init__(self, info: dict, port: int, stats: Stats):
        self.circle, self.slug, self.session = (
            info["circle"],
            info["slug"],
            info["session"],
        )
        self.port, self.stats = port, stats
        self.ws = None
        self.connected = asyncio.Event()
        self.seen: set[int] = set()
        self.seqs: set[int] = set()
        self.max_live_seq = 0
        self.contiguous = (0, 0)  # (seq, id) of the last message with no gap before it
        self.ids_by_seq: dict[int, int] = {}
        self.last_id = 0
        self.duplicates = 0
        self.reordered = 0
        self.outbox: dict[str, str] = {}
        self.connects = 0
        self.answers: list[dict] = []
        self.stopping = False

    async def run(self) -> None:
        while not self.stopping:
            url = f"ws://127.0.0.1:{self.port}/ws/circles/{self.slug}/?after={self.last_id}"
            headers = {
                "Cookie": f"sessionid={self.session}",
                "Origin": f"http://127.0.0.1:{self.port}",
            }
            try:
                async with websockets.connect(
                    url, additional_headers=headers, open_timeout=10, max_size=2**22
                ) as ws:
                    self.ws = ws
                    self.connects += 1
                    self.connected.set()
                    for client_id, body in list(self.outbox.items()):
                        await self.send_frame(
                            {"type": "chat.send", "body": body, "client_id": client_id}
                        )
                    async for raw in ws:
                        await self.on_frame(json.loads(raw))
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            finally:
                self.ws = None
                self.connected.clear()
            if not self.stopping:
                await asyncio.sleep(0.2 + random.random() * 0.5)

    async def send_frame(self, frame: dict) -> None:
        if self.ws is not None:
            try:
                await self.ws.send(json.dumps(frame))
            except websockets.WebSocketException:
                pass

    async def say(self, body: str) -> str:
        client_id = uuid.uuid4().hex
        self.outbox[client_id] = body
        self.stats.sent_at[client_id] = time.perf_counter()
        await self.send_frame(
            {"type": "chat.send", "body": body, "client_id": client_id}
        )
        return client_id

    async def on_frame(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "chat.message":
            self.receive(frame["message"], live=True)
        elif kind == "chat.history":
            for message in frame.get("messages", []):
                self.receive(message, live=False)
        elif kind == "error":
            code = frame.get("code", "?")
            self.stats.errors[code] = self.stats.errors.get(code, 0) + 1
            self.answers.append(frame)
        if self.gap():
            await self.send_frame({"type": "chat.history", "after": self.contiguous[1]})

    def receive(self, message: dict, *, live: bool) -> None:
        now = time.perf_counter()
        self.outbox.pop(message.get("client_id") or "", None)
        self.answers.append(message)
        if message["id"] in self.seen:
            # A history page the client asked for may overlap what it has; a live
            # frame for a message already shown is a real duplicate.
            self.duplicates += live
            return
        self.seen.add(message["id"])
        seq = message["seq"]
        if live:
            if seq < self.max_live_seq:
                self.reordered += 1
            self.max_live_seq = max(self.max_live_seq, seq)
        self.seqs.add(seq)
        self.ids_by_seq[seq] = message["id"]
        self.last_id = max(self.last_id, message["id"])
        seq0, _ = self.contiguous
        while seq0 + 1 in self.seqs:
            seq0 += 1
        self.contiguous = (seq0, self.ids_by_seq.get(seq0, 0))
        sent = self.stats.sent_at.get(message.get("client_id") or "")
        if sent is not None and live:
            self.stats.latencies.append(now - sent)
        self.stats.deliveries += 1

    def gap(self) -> bool:
        return bool(self.seqs) and max(self.seqs) > self.contiguous[0]

    def missing(self, total: int) -> int:
        return total - len(self.seqs & set(range(1, total + 1)))


async def wait_all(members, timeout: float) -> float:
    start = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(m.connected.wait() for m in members)), timeout
    )
    return time.perf_counter() - start


def server_cpu_seconds(server: Daphne) -> float:
    """User and system CPU of a daphne process so far."""
    fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1]
    ticks = fields.split()
    return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")


def healthz(port: int) -> tuple[int, str]:
    try:
        status, body = http_get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:
        return 0, str(exc)
    return status, body.decode()


async def phase_load(
    members, servers, stats, *, messages: int, rate: float, faults: bool = True
) -> dict:
    tasks = [asyncio.create_task(m.run()) for m in members]
    connect_s = await wait_all(members, 120)
    by_circle: dict[int, list[Member]] = {}
    for m in members:
        by_circle.setdefault(m.circle, []).append(m)
    circles = list(by_circle.values())
    restart_at = messages * 2 // 5
    restart = {}
    start = time.perf_counter()
    for n in range(messages):
        due = start + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        group = circles[n % len(circles)]
        sender = group[(n // len(circles)) % len(group)]
        await sender.say(f"load message {n}")
        if faults and n == restart_at and len(servers) > 1:
            restart = await restart_one(
                servers[1], [m for m in members if m.port == servers[1].port]
            )
    send_s = time.perf_counter() - start
    # Drain: until every sender's outbox is confirmed (resends after reconnect).
    deadline = time.perf_counter() + 60
    while any(m.outbox for m in members) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    totals = await asyncio.to_thread(stored_counts)
    # A final catch-up, as a client does on its next reconnect: tail losses after the
    # last live message are invisible as gaps.
    tail_recovered = 0
    for m in members:
        before = len(m.seqs)
        if m.missing(totals[m.circle]):
            await m.send_frame({"type": "chat.history", "after": m.contiguous[1]})
        tail_recovered -= before
    await asyncio.sleep(2.0)
    for m in members:
        tail_recovered += len(m.seqs)
    elapsed = time.perf_counter() - start
    for m in members:
        m.stopping = True
        if m.ws is not None:
            await m.ws.close()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stored = sum(totals[c] for c in by_circle)
    lost = sum(m.missing(totals[m.circle]) for m in members)
    return {
        "members": len(members),
        "circles": len(by_circle),
        "messages_sent": messages,
        "messages_stored": stored,
        "connect_all_s": connect_s,
        "send_s": send_s,
        "elapsed_s": elapsed,
        "deliveries": stats.deliveries,
        "deliveries_per_s": stats.deliveries / elapsed,
        "latency_ms": summary_ms(stats.latencies),
        "lost": lost,
        "duplicated": sum(m.duplicates for m in members),
        "reordered": sum(m.reordered for m in members),
        "unconfirmed_sends": sum(len(m.outbox) for m in members),
        "tail_recovered_by_history": tail_recovered,
        "errors": dict(stats.errors),
        **restart,
    }


async def restart_one(server: Daphne, its_members) -> dict:
    t0 = time.perf_counter()
    await asyncio.to_thread(server.stop)
    await asyncio.to_thread(server.start)
    up = time.perf_counter() - t0
    reconnect = await wait_all(its_members, 60)
    return {"restart_s": up, "reconnect_all_after_restart_s": reconnect + up}


async def phase_outage(members, servers, redis: RedisServer, stats) -> dict:
    """Stop Redis for ten seconds while members on both processes stay connected."""
    a = next(m for m in members if m.port == servers[0].port)
    b = next(m for m in members if m.port == servers[1].port and m.circle == a.circle)
    tasks = [asyncio.create_task(m.run()) for m in (a, b)]
    await wait_all([a, b], 30)
    stored_before = sum((await asyncio.to_thread(stored_counts)).values())
    redis.stop()
    t_down = time.perf_counter()
    await asyncio.sleep(1.0)
    health = await asyncio.to_thread(healthz, servers[0].port)
    page_status, _ = await asyncio.to_thread(
        http_get_status, f"http://127.0.0.1:{servers[0].port}/circles/", a.session
    )
    a.answers.clear()
    t_send = time.perf_counter()
    await a.say("sent while Redis is down")
    answer_s = None
    while time.perf_counter() - t_send < 10:
        if any(f.get("code") for f in a.answers):
            answer_s = time.perf_counter() - t_send
            break
        await asyncio.sleep(0.05)
    codes = [f.get("code") for f in a.answers if f.get("code")]
    stored = any(f.get("body") is None and f.get("id") for f in a.answers)
    remaining = 10 - (time.perf_counter() - t_down)
    if remaining > 0:
        await asyncio.sleep(remaining)
    redis.start()
    t_up = time.perf_counter()
    recovered_s = None
    while time.perf_counter() - t_up < 60:
        b_before = set(b.seen)
        await a.say("probe after Redis returned")
        await asyncio.sleep(0.5)
        if set(b.seen) - b_before:
            recovered_s = time.perf_counter() - t_up
            break
    health_after = await asyncio.to_thread(healthz, servers[0].port)
    stored_after = sum((await asyncio.to_thread(stored_counts)).values())
    for m in (a, b):
        m.stopping = True
        if m.ws is not None:
            await m.ws.close()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "healthz_during_outage": health,
        "page_status_during_outage": page_status,
        "chat_answer_during_outage": ", ".join(codes) or "no error frame within 10 s",
        "message_saved_and_returned_to_sender": stored,
        "chat_answer_s": answer_s,
        "chat_recovered_after_redis_returned_s": recovered_s,
        "healthz_after": health_after,
        "stored_before": stored_before,
        "stored_after": stored_after,
        "nothing_stored_lost": stored_after >= stored_before,
    }


def http_get_status(url: str, session: str) -> tuple[int, str]:
    try:
        status, _ = http_get(url, cookies=f"sessionid={session}", timeout=10)
        return status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError as exc:
        return 0, str(exc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="100 members, 2,000 messages"
    )
    parser.add_argument("--rate", type=float, help="messages a second, all circles")
    parser.add_argument("--circles", type=int)
    parser.add_argument("--per-circle", type=int)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--processes", type=int, default=2, choices=(1, 2))
    parser.add_argument(
        "--no-faults",
        action="store_true",
        help="capacity only: no restart, no Redis outage",
    )
    args = parser.parse_args()
    circles, per_circle, messages, rate = (
        (5, 20, 2_000, 10.0) if args.quick else (25, 20, 20_000, 20.0)
    )
    rate = args.rate or rate
    circles = args.circles or circles
    per_circle = args.per_circle or per_circle
    messages = args.messages or messages
    redis = RedisServer()
    redis.start()
    env = bench_env(BENCH_REDIS_URL=redis.url, CHAT_RATE_LIMIT_COUNT="1000000")
    try:
        reset_database(env)
        info = seed(env, circles=circles, per_circle=per_circle)
        servers = [Daphne(env=env).start() for _ in range(args.processes)]
        outage = {"nothing_stored_lost": True}
        try:
            stats = Stats()
            members = [
                Member(m, servers[i % len(servers)].port, stats)
                for i, m in enumerate(info)
            ]
            cpu0 = [server_cpu_seconds(s) for s in servers]
            load = asyncio.run(
                phase_load(
                    members,
                    servers,
                    stats,
                    messages=messages,
                    rate=rate,
                    faults=not args.no_faults,
                )
            )
            load["server_cpu_s"] = [
                round(server_cpu_seconds(s) - c, 2)
                for s, c in zip(servers, cpu0, strict=True)
            ]
            print(json.dumps({"load": load}, indent=2), flush=True)
            if args.no_faults:
                return 0 if load["lost"] == 0 else 1
            outage_members = [
                Member(m, servers[i % 2].port, Stats())
                for i, m in enumerate(info[:per_circle])
            ]
            outage = asyncio.run(phase_outage(outage_members, servers, redis, Stats()))
            print(json.dumps({"redis_outage": outage}, indent=2), flush=True)
        finally:
            for server in servers:
                server.stop()
    finally:
        redis.stop()
    ok = (
        load["lost"] == 0
        and load["duplicated"] == 0
        and load["reordered"] == 0
        and load["messages_stored"] == messages
        and outage["nothing_stored_lost"]
    )
    print("RESULT:", "ok" if ok else "PROBLEMS (see figures above)")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())

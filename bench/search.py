"""Search at size: 100,000 posts and 500,000 chat messages in PostgreSQL, then p50/p95
of a circle search and of a site-wide search (the selector the pages call, in
process: the database and the Python around it, not HTTP), and the query plan.

    python bench/search.py [--posts 100000] [--messages 500000] [--repeat 15]

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wt_forum_bench) is
dropped and recreated. Rows go in with COPY; the GIN indexes are dropped for the
load and built again after it, as a bulk import would.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, reset_database, summary_ms  # noqa: E402

CIRCLES = 100
MEMBERS_PER_CIRCLE = 10
SEARCHER_CIRCLES = 10
POSTS_PER_THREAD = 10
BUDGET_MS = 100.0

# A vocabulary with real words of peer support at the top and made-up ones in the
# long tail; words are drawn with Zipf weights, as in real text.
REAL = """feel today night sleep work family friend talk help week morning tired anxious
calm walk breathe write read call message therapist doctor boundary partner mother
father sister brother child school job money home house rain sun garden music song
book film cook eat food water tea coffee run swim yoga panic memory dream nightmare
trigger safe unsafe alone lonely together group circle listen hear heard hope hopeful
scared afraid angry sad happy grateful thank sorry trust care gentle hard easy small
step plan goal progress setback relapse recover recovery heal healing grief loss
remember forget anniversary birthday holiday winter summer spring autumn storm quiet
loud crowd bus train car drive city village lake river mountain forest beach ocean
dog cat bird horse medication appointment session journal letter poem paint draw
photo cold warm blanket bath shower breakfast lunch dinner shopping chores laundry
meeting boss colleague neighbour landlord rent bill phone screen rest pause notice
body chest stomach head shoulder hands shaking crying laughing smiling hug courage
strength patience kindness shame guilt anger fear joy relief peace space time change""".split()


def vocabulary(size=6000, seed=7) -> list[str]:
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = list(REAL)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Text:
    def __init__(self, seed=11):
        self.rng = random.Random(seed)
        self.words = vocabulary()
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = []
        total = 0.0
        for w in weights:
            total += w
            self.cumulative.append(total)

    def __call__(self, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        picks = self.rng.choices(self.words, cum_weights=self.cumulative, k=n)
        return " ".join(picks)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed_data(posts: int, messages: int) -> dict:
    from django.db import connection

    from circles import permissions
    from circles.models import Circle, Membership, Thread
    from circles.search import indexes
    from community.accounts.models import User

    text = Text()
    now = datetime.now(UTC)
    users = User.objects.bulk_create(
        User(username=f"u{n}", display_name=f"Person {n}", password="!")
        for n in range(CIRCLES * MEMBERS_PER_CIRCLE)
    )
    circles = Circle.objects.bulk_create(
        Circle(name=f"Circle {n}", slug=f"circle-{n}") for n in range(CIRCLES)
    )
    searcher = users[0]
    memberships = []
    for c, circle in enumerate(circles):
        for m in range(MEMBERS_PER_CIRCLE):
            user = users[(c * MEMBERS_PER_CIRCLE + m) % len(users)]
            if user == searcher:
                continue
            memberships.append(
                Membership(circle=circle, user=user, state="active", joined_at=now)
            )
    for circle in circles[:SEARCHER_CIRCLES]:
        memberships.append(
            Membership(circle=circle, user=searcher, state="active", joined_at=now)
        )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    for circle in circles[:SEARCHER_CIRCLES]:
        permissions.grant_role(user=searcher, circle=circle, role="member")
    threads_per_circle = max(1, posts // POSTS_PER_THREAD // CIRCLES)
    threads = Thread.objects.bulk_create(
        (
            Thread(
                circle=circle,
                author=users[(c * MEMBERS_PER_CIRCLE + t) % len(users)],
                title=text(3, 8),
                last_activity_at=now,
            )
            for c, circle in enumerate(circles)
            for t in range(threads_per_circle)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        for _model, _field, name in indexes.INDEXED:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    started = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cursor:
        post_rows = []
        for n in range(posts):
            thread = threads[n % len(threads)]
            body = text(8, 60)
            when = now - timedelta(minutes=n)
            post_rows.append(
                (
                    thread.pk,
                    None,
                    thread.author_id,
                    body,
                    f"<p>{body}</p>",
                    "",
                    0,
                    when,
                    "visible",
                    "",
                )
            )
        copy_rows(
            cursor,
            "circles_post",
            [
                "thread_id",
                "parent_id",
                "author_id",
                "body",
                "body_html",
                "content_warning",
                "depth",
                "created_at",
                "status",
                "removed_reason",
            ],
            post_rows,
        )
        del post_rows
        per_circle = messages // CIRCLES

        def message_rows():
            # Interleaved in time across circles, as real chat is: ids grow with
            # time in every circle at once.
            for seq in range(1, per_circle + 1):
                when = now - timedelta(seconds=(per_circle - seq) * 30)
                for c, circle in enumerate(circles):
                    body = text(3, 25)
                    author = users[(c * MEMBERS_PER_CIRCLE + seq) % len(users)]
                    yield (
                        circle.pk,
                        author.pk,
                        seq,
                        body,
                        f"<p>{body}</p>",
                        "",
                        when,
                        "visible",
                        "",
                    )

        copy_rows(
            cursor,
            "circles_chatmessage",
            [
                "circle_id",
                "author_id",
                "seq",
                "body",
                "body_html",
                "client_id",
                "created_at",
                "status",
                "removed_reason",
            ],
            message_rows(),
        )
    raw.commit()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with connection.schema_editor() as editor:
        from django.apps import apps

        for model_name, field, name in indexes.INDEXED:
            editor.add_index(
                apps.get_model("circles", model_name), indexes.gin_index(field, name)
            )
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "searcher": searcher,
        "circle": circles[0],
        "load_seconds": loaded,
        "index_seconds": indexed,
        "words": text.words,
    }


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = bench_env(
        BENCH_DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_forum_bench"
        )
    )
    reset_database(env)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DATABASE_URL",
                "DEBUG",
                "SECRET_KEY",
                "ALLOWED_HOSTS",
                "EMAIL_URL",
            )
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
    import django

    django.setup()
    from django.db import connection

    from circles.search import selectors

    print(
        f"Seeding {args.posts:,} posts and {args.messages:,} chat messages…", flush=True
    )
    world = seed_data(args.posts, args.messages)
    print(
        f"  COPY {world['load_seconds']:.1f} s, GIN indexes {world['index_seconds']:.1f} s",
        flush=True,
    )
    words = world["words"]
    queries = {
        "common word": [words[i] for i in (2, 5, 9)],
        "mid word": [words[i] for i in (150, 400, 900)],
        "rare word": [words[i] for i in (3000, 4500, 5900)],
        "two words": [f"{words[3]} {words[60]}", f"{words[20]} {words[700]}"],
        "phrase and minus": [f'"{words[1]} {words[4]}"', f"{words[7]} -{words[8]}"],
    }
    searcher, circle = world["searcher"], world["circle"]
    rows = []
    everything = {"circle": [], "site-wide": []}
    for label, texts in queries.items():
        for scope in ("circle", "site-wide"):
            times = []
            for q in texts:
                times += timed(
                    lambda q=q, scope=scope: selectors.search(
                        user=searcher,
                        text=q,
                        circle=circle if scope == "circle" else None,
                    ),
                    args.repeat,
                )
            everything[scope] += times
            s = summary_ms(times)
            rows.append((label, scope, s["p50"], s["p95"]))
    print("\n| query | scope | p50 ms | p95 ms |\n|---|---|---|---|")
    for label, scope, p50, p95 in rows:
        print(f"| {label} | {scope} | {p50:.1f} | {p95:.1f} |")
    verdict = 0
    for scope, times in everything.items():
        s = summary_ms(times)
        ok = s["p50"] < BUDGET_MS
        verdict |= not ok
        print(
            f"| **all** | {scope} | **{s['p50']:.1f}** | **{s['p95']:.1f}** |"
            f" {'within' if ok else 'OVER'} the {BUDGET_MS:.0f} ms p50 budget"
        )
    query = selectors.SearchQuery(words[400], search_type="websearch", config="english")
    plan_qs = (
        selectors.ChatMessage.objects.filter(circle=circle, status="visible")
        .annotate(found=selectors.vector("body"))
        .filter(found=query)
        .annotate(rank=selectors.SearchRank(selectors.vector("body"), query))
        .order_by("-rank", "-id")[:20]
    )
    sql, params = plan_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    print("\nEXPLAIN ANALYZE, the chat part of a circle search for a mid word:\n")
    print(plan)
    uses_index = "search_message_body_gin" in plan
    print(f"\nGIN index used: {'yes' if uses_index else 'NO'}")
    return verdict or (not uses_index)


if __name__ == "__main__":
    sys.exit(main())

"""Baseline: the least a relay can do. A `websockets` server that publishes what a
client sends to Redis and forwards what Redis delivers to its clients. No Django, no
auth, no storage.

    python -m bench.baselines.bare_relay PORT REDIS_URL
"""

import asyncio
import sys

import redis.asyncio as redis
import websockets

CHANNEL = "bare-relay"


async def main(port: int, url: str) -> None:
    client = redis.from_url(url)
    clients: set = set()

    async def handler(ws):
        clients.add(ws)
        try:
            async for message in ws:
                await client.publish(CHANNEL, message)
        finally:
            clients.discard(ws)

    async def fan_out():
        pubsub = client.pubsub()
        await pubsub.subscribe(CHANNEL)
        async for item in pubsub.listen():
            if item["type"] == "message":
                data = item["data"].decode()
                websockets.broadcast(clients, data)

    async with websockets.serve(handler, "127.0.0.1", port):
        await fan_out()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))

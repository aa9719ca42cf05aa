"""The Redis cache keeps one redis-py client per connection pool instead of building
one per call (community/cache.py)."""

from community.cache import ReusingRedisCache


def test_cache_calls_share_one_client_per_pool():
    cache = ReusingRedisCache("redis://127.0.0.1:6379/9", {})
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client  # one server: one pool

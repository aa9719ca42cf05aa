"""The site's sockets, one skeleton for every kind (README: Layout).

- `frames`: reading a client's frame, ids in frames and in `?after`, error frames;
- `cap`: sockets open at once per person, one count over every kind;
- `base`: `SocketConsumer`, which the circle socket and `/ws/me/` subclass;
- `routes`: where the sockets live (`socket_path`, `{% socket_url %}`);
- `events`: channel-layer events every socket acts on (`session_ended`).

This package imports no feature app (an import-linter contract keeps it so).
"""

from .frames import FrameError, parse_frame

__all__ = ["FrameError", "parse_frame"]

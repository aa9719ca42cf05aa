"""The shape of a thread, without recursion: posts in tree order (depth first,
oldest first among siblings), each with the level it is shown at and the post whose
replies hold it, and the parts a long thread is shown in.

Replies nest in their parent's element up to MAX_DEPTH levels; past that they are
placed beside their parent, in the deepest allowed ancestor, and say whom they
answer (see "Deep replies" in the contract). Old data may hold any depth: the
shape is computed from the parent links, never from the stored depth.
"""

from dataclasses import dataclass, field

MAX_DEPTH = 5  # the deepest level a reply is nested at (the opening post is 0)
PART_SIZE = 100  # replies per part of a long thread
WHOLE_UP_TO = 500  # a thread with at most this many replies is shown whole


@dataclass(frozen=True)
class Place:
    """Where one post goes on the page."""

    id: int
    parent_id: int | None
    level: int  # nesting level on the page, at most MAX_DEPTH
    holder: int | None  # the post whose replies element holds it
    flattened: bool  # shown beside its parent rather than inside it


@dataclass
class Outline:
    """A whole thread's shape: `order` is tree order, the opening post first."""

    order: list[Place] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)  # post id -> position
    new_ids: list = field(default_factory=list)  # new since the reader's last visit
    posts: dict | None = None  # every post, when read with the shape (a short thread)

    @property
    def replies(self) -> int:
        return max(0, len(self.order) - 1)

    @property
    def part_size(self) -> int:
        if self.replies <= WHOLE_UP_TO:
            return max(1, self.replies)
        return PART_SIZE

    @property
    def parts(self) -> int:
        return max(1, -(-self.replies // self.part_size))

    def part_of(self, post_id) -> int | None:
        """The part that holds the post, or None if it is not in the thread."""
        position = self.index.get(post_id)
        if position is None:
            return None
        return 0 if position == 0 else (position - 1) // self.part_size

    def part(self, number: int) -> list[Place]:
        """The replies of one part, in tree order."""
        start = 1 + number * self.part_size
        return self.order[start : start + self.part_size]

    def ancestors(self, post_id) -> list[Place]:
        """The post's ancestors, the opening post first."""
        chain = []
        place = self.order[self.index[post_id]]
        while place.parent_id is not None and place.parent_id in self.index:
            place = self.order[self.index[place.parent_id]]
            chain.append(place)
        return chain[::-1]

    def with_context(self, number: int) -> list[Place]:
        """A part as a page shows it: the ancestors of its first reply that hold
        replies on the page (at most MAX_DEPTH of them, however deep old data is),
        then the part. In tree order every reply of the part whose parent is not in
        the part has that parent among the first reply's ancestors, so the nesting
        holds."""
        places = self.part(number)
        if not places:
            return self.order[:1]
        holders = [p for p in self.ancestors(places[0].id) if p.level < MAX_DEPTH]
        return holders + places


def outline(rows) -> Outline:
    """`rows`: (id, parent_id) of every post of a thread, oldest first. A post whose
    parent is missing (or an extra root) hangs under the opening post."""
    rows = list(rows)
    if not rows:
        return Outline()
    known = {pk for pk, _parent in rows}
    root = next((pk for pk, parent in rows if parent is None), rows[0][0])
    children: dict[int, list[int]] = {}
    parents: dict[int, int | None] = {root: None}
    for pk, parent in rows:
        if pk == root:
            continue
        if parent not in known or parent == pk:
            parent = root
        parents[pk] = parent
        children.setdefault(parent, []).append(pk)
    shape = Outline()
    level: dict[int, int] = {}
    holder: dict[int, int | None] = {}
    stack = [root]
    while stack:  # depth first, without recursion: any depth renders
        pk = stack.pop()
        if pk in shape.index:  # a cycle in bad data: show each post once
            continue
        parent = parents.get(pk)
        if parent is None:
            level[pk], holder[pk], flat = 0, None, False
        elif level[parent] < MAX_DEPTH:
            level[pk], holder[pk], flat = level[parent] + 1, parent, False
        else:
            level[pk], holder[pk], flat = MAX_DEPTH, holder[parent], True
        shape.index[pk] = len(shape.order)
        shape.order.append(Place(pk, parent, level[pk], holder[pk], flat))
        stack.extend(reversed(children.get(pk, ())))
    return shape

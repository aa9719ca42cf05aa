import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Circle(models.Model):
    class JoinPolicy(models.TextChoices):
        OPEN = "open", "Open: anyone can join"
        REQUEST = "request", "By request: a host or moderator approves"
        INVITE = "invite", "Invite only: by invite link"

    class Visibility(models.TextChoices):
        LISTED = "listed", "Listed in the circle directory"
        UNLISTED = "unlisted", "Unlisted: only members and invitees know it exists"

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    guidelines = models.TextField(max_length=4000, blank=True)
    join_policy = models.CharField(
        max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.LISTED
    )
    capacity = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    invite_token = models.CharField(max_length=64, default=new_invite_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Last chat sequence number handed out; locked and bumped by chat_message_post
    # so that every message gets the next number with no gaps.
    chat_seq = models.PositiveBigIntegerField(default=0)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    flag_auto_hide_threshold = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("post_in_circle", "Post and chat in the circle"),
            ("moderate_circle", "Moderate the circle"),
            ("manage_circle", "Manage the circle's settings and roles"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("circles:detail", kwargs={"slug": self.slug})


def thread_url(slug: str, thread_id: int) -> str:
    """A thread's page, for lists that hold the slug but not the model."""
    return reverse("circles:thread", kwargs={"slug": slug, "thread_id": thread_id})


def message_url(slug: str, message_id: int) -> str:
    """A chat message, shown in its place on the circle page."""
    return f"{reverse('circles:detail', kwargs={'slug': slug})}?message={message_id}"


class CircleUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian table: a circle's permissions go with the circle."""

    content_object = models.ForeignKey(Circle, on_delete=models.CASCADE)


class CircleGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Circle, on_delete=models.CASCADE)


class Membership(models.Model):
    class Role(models.TextChoices):
        HOST = "host", "Host"
        MODERATOR = "moderator", "Moderator"
        MEMBER = "member", "Member"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        WAITLISTED = "waitlisted", "On the waitlist"
        ACTIVE = "active", "Member"
        LEFT = "left", "Left"
        BANNED = "banned", "Banned"

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    mute_reason = models.CharField(max_length=500, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    ban_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"], name="one_membership_per_user"
            )
        ]
        indexes = [models.Index(fields=["circle", "state", "waitlisted_at"])]

    def __str__(self):
        return f"{self.user} in {self.circle} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE


class ContentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = (
        "held",
        "Held for review",
    )  # a watched word; only author and moderators see it
    HIDDEN = "hidden", "Hidden while moderators review it"  # auto-hidden by flags
    REMOVED = "removed", "Removed by a moderator"
    # Care: the moderator holding a safety case moved it out of other members'
    # view; its author still sees it.
    CARED = "cared", "Moved out of view by the moderators."


# What other members read in place of removed words, everywhere (pages, frames,
# scripts): the real reason goes to the author alone, in a private notice.
REMOVED_PUBLIC_TEXT = "Removed by the circle's moderators"
# The stored reason of words erased because their author deleted their account
# (circles/account_data.py), and what everyone sees in their place.
AUTHOR_GONE_REASON = "Removed: its author deleted their account"
AUTHOR_DELETED_TEXT = "Deleted by its author"


class ModeratedContent(models.Model):
    """What chat messages, threads and posts share: moderation never hard-deletes."""

    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    removed_reason = models.CharField(max_length=500, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    # Each kind of content knows its name in URLs and flags, its circle and its URL,
    # so moderation never guesses them from the class name.
    content_kind: str = ""

    @property
    def is_visible(self) -> bool:
        return self.status == ContentStatus.VISIBLE

    @property
    def public_status_text(self) -> str:
        """What a reader who may not see the words reads in their place."""
        if self.status == ContentStatus.REMOVED:
            return (
                AUTHOR_DELETED_TEXT if self.removed_by_author else REMOVED_PUBLIC_TEXT
            )
        return self.get_status_display()

    @property
    def removed_by_author(self) -> bool:
        """Removed because its author deleted their account, not by moderators."""
        return (
            self.status == ContentStatus.REMOVED
            and self.removed_reason == AUTHOR_GONE_REASON
        )

    @property
    def content_circle(self) -> "Circle":
        return self.circle

    def get_content_url(self) -> str:
        return self.get_absolute_url()


class ChatMessage(ModeratedContent):
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    seq = models.PositiveBigIntegerField()
    body = models.TextField(max_length=4000)
    body_html = models.TextField()
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["circle", "seq"]
        indexes = [models.Index(fields=["circle", "author", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["circle", "seq"], name="chat_seq_unique"),
            models.UniqueConstraint(
                fields=["circle", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="chat_client_id_once",
            ),
        ]

    content_kind = "message"

    def __str__(self):
        return f"#{self.seq} in {self.circle_id}"

    def get_absolute_url(self):
        return message_url(self.circle.slug, self.pk)


class Thread(ModeratedContent):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion"
        ASK = "ask", "Ask for help"

    class ReplyNorm(models.TextChoices):
        LISTEN_ONLY = "listen_only", "Just listen: I want to be heard, not advised"
        ADVICE_WELCOME = "advice_welcome", "Advice is welcome"

    class Need(models.TextChoices):
        LISTENING = "listening", "Someone to listen"
        PERSPECTIVE = "perspective", "Another perspective"
        PRACTICAL = "practical", "Practical help"
        RESOURCES = "resources", "Resources to read"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.DISCUSSION
    )
    content_warning = models.CharField(max_length=200, blank=True)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)
    reply_count = models.PositiveIntegerField(default=0)
    # Asks only.
    needs = models.JSONField(default=list, blank=True)
    reply_norm = models.CharField(max_length=16, choices=ReplyNorm.choices, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    helped_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pinned", "-last_activity_at"]
        indexes = [models.Index(fields=["circle", "-last_activity_at"])]

    content_kind = "thread"
    # What a deleted account's thread is titled (circles/account_data.py).
    REMOVED_TITLE = "Removed by its author"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return thread_url(self.circle.slug, self.pk)

    @property
    def title_removed(self) -> bool:
        """Its author deleted their account and their words: lists say so in
        words, not as if it were a title."""
        return self.title == self.REMOVED_TITLE

    @property
    def is_ask(self) -> bool:
        return self.kind == self.Kind.ASK


class Post(ModeratedContent):
    """A post in a thread. The thread's opening text is its root post (parent=None)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    body = models.TextField(max_length=20000)
    body_html = models.TextField()
    content_warning = models.CharField(max_length=200, blank=True)
    depth = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    content_kind = "post"

    def __str__(self):
        return f"post {self.pk} in thread {self.thread_id}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def content_circle(self) -> "Circle":
        return self.thread.circle


class PostRevision(models.Model):
    """An earlier version of an edited post, kept for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"revision of post {self.post_id}"


class ThreadVisit(models.Model):
    """When a member last looked at a thread: what is newer is unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="visits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="one_visit_per_thread"
            )
        ]

    def __str__(self):
        return f"{self.user_id} saw {self.thread_id} at {self.seen_at}"


class ChatPresence(models.Model):
    """One open chat socket: who is here now, shared by every daphne process."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["circle", "seen_at"])]

    def __str__(self):
        return f"{self.user_id} in {self.circle_id}"

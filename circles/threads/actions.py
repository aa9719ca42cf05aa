"""What a reader may do with one post: reply, react, mark it helped, save, flag,
edit, delete, remove. Asked once a post by the thread page (which draws a Reply link
and a More link, nothing else) and by the post's menu (`post_menu`), so the page and
the menu never disagree. The thread's part of each rule was asked once a page
(`Viewer`); the post's part is here, as in `permissions.takes_replies`."""

from dataclasses import dataclass

from moderation.safety import sensitive

from ..models import ContentStatus
from ..permissions import takes_edits, takes_replies
from .viewer import Viewer


@dataclass(slots=True)
class PostActions:
    reply: bool = False
    react: bool = False  # the reaction buttons (else the counts alone, if any)
    reactions: bool = False  # reactions are shown at all (words everyone may read)
    helped: bool = False
    save: bool = False
    flag: bool = False
    edit: bool = False
    delete: bool = False
    remove: bool = False  # a keeper, on words that raised no crisis level
    safety: bool = False  # a keeper, on words that did: the safety desk, not Remove

    @property
    def menu(self) -> bool:
        """Anything for the post's "More" menu."""
        return (
            self.reactions
            or self.helped
            or self.save
            or self.flag
            or self.edit
            or self.delete
            or self.remove
            or self.safety
        )


NONE = PostActions()


def post_actions(post, viewer: Viewer) -> PostActions:
    if viewer.user_id is None or post.deleted_at:
        return NONE
    if post.status == ContentStatus.REMOVED:
        return NONE  # restored from the review queue, where the reason is
    thread, pk = viewer.thread, post.pk
    mine = post.author_id == viewer.user_id
    visible = post.status == ContentStatus.VISIBLE
    level = viewer.sensitive.get(pk, "")
    if post.author_id in viewer.ignored_ids:
        # Folded away by the reader's choice (issue 26, item 11): only "show" is
        # offered, as in the chat; keepers keep what moderating needs.
        return PostActions(
            flag=viewer.can_moderate,
            remove=viewer.can_moderate and not level,
            safety=viewer.can_moderate and bool(level),
        )
    reactions = visible and sensitive.reactable(level)
    return PostActions(
        # permissions.allow_reply_to_post / allow_edit_post: the thread's part was
        # asked once a page (viewer.can_reply), the post's part here.
        reply=viewer.can_reply
        and takes_replies(post, user_id=viewer.user_id, moderates=viewer.can_moderate),
        react=reactions and viewer.can_post and not mine,
        reactions=reactions,
        helped=thread.author_id == viewer.user_id
        and not mine
        and visible
        and post.parent_id is not None
        and thread.is_ask
        and thread.helped_post_id != pk,
        save=not mine and visible and post.parent_id is not None,
        flag=not mine and (visible or viewer.can_moderate),
        edit=mine and viewer.can_reply and takes_edits(post),
        delete=mine and post.parent_id is not None,
        remove=viewer.can_moderate and not level,
        safety=viewer.can_moderate and bool(level),
    )

"""The e-mailed answer link: one person's way to their own row of one poll, without signing in.

Why not ``core.links`` (architecture.md §6): that flow gives someone access they do not have yet
(joining a set, reading a log); its link is used once, and may make an account. Here everyone
asked is already in the set, answers as often as they change their mind, and the link opens
nothing more than the e-mail already says: the poll's times and their own answers, never
anyone else's. So it is a signed address, nothing stored: it names the poll and the person,
answers only while the poll is open and the person still answers in the set (checked at every
use, as a room socket checks its rights), and expires after ``MAX_AGE``. The full poll, with
everyone's answers, stays behind sign-in.
"""

from django.core import signing

SALT = "revans.polls.answer"
MAX_AGE = 60 * 60 * 24 * 60  # seconds: sixty days, longer than any poll stays open


def answer_token(poll_id: int, user_id: int) -> str:
    return signing.dumps({"p": poll_id, "u": user_id}, salt=SALT, compress=True)


def read_answer_token(token: str) -> tuple[int, int] | None:
    """(poll id, user id) from a token this site signed and not too old; None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict):
        return None
    poll_id, user_id = data.get("p"), data.get("u")
    if not isinstance(poll_id, int) or not isinstance(user_id, int):
        return None
    return poll_id, user_id

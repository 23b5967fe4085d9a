"""The meeting page's and the live room's parts from the apps above meetings (``core.parts``):
the pulse after a meeting (evaluation). Each part gets the person looking, the meeting and what
they may do in its set.

A room part is drawn by the server once, outside what the room's script redraws, and shown
only in the phases its outermost element names in ``data-room-phases`` (for example
"process_review summary closed")."""

from django.contrib.auth.models import AnonymousUser

from revans.accounts.models import User
from revans.core.parts import PageParts
from revans.sets.models import SetAccess

from .models import Meeting

meeting_page: PageParts[[User | AnonymousUser, Meeting, SetAccess]] = PageParts()
room_page: PageParts[[User | AnonymousUser, Meeting, SetAccess]] = PageParts()

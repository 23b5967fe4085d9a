"""The set page's parts from the apps above sets (``core.parts``): the schedule and attendance
(meetings) and the set's actions (actions). Each part gets the person looking, the set, what
they may do in it, and the set's memberships, which a part may annotate for the members table."""

from django.contrib.auth.models import AnonymousUser

from revans.accounts.models import User
from revans.core.parts import PageParts

from .models import Membership, Set, SetAccess

set_page: PageParts[[User | AnonymousUser, Set, SetAccess, list[Membership]]] = PageParts()

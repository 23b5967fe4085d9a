from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

# Where the demo keeps the last verification link it sent, to show it on the next page.
DEMO_LINK_KEY = "revans_demo_verification"


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # People sign in with their e-mail address; there is no username to fill in.
        return None

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        super().send_confirmation_mail(request, emailconfirmation, signup)
        # The demo has no mailbox (its e-mail goes to the server's console), so the link is
        # shown on the "verification sent" page instead. Never outside the demo: there the link
        # must prove that the person reads the mailbox.
        if settings.MODE == "demo" and request is not None:
            request.session[DEMO_LINK_KEY] = {
                "email": emailconfirmation.email_address.email,
                "link": self.get_email_confirmation_url(request, emailconfirmation),
            }

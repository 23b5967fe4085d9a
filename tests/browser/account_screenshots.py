"""Screenshots of every sign-in page (django-allauth) of a running Revans demo, at desktop width.

    .venv/bin/python tests/browser/account_screenshots.py http://127.0.0.1:8000 /tmp/account

Signs up a new person (and follows the demo's verification link), walks the pages for someone
signed out and for someone signed in, then turns two-factor on for that newcomer and signs in
again to reach the code page. Not a test: it is for looking at the pages with human eyes.
"""

import argparse
import base64
import hashlib
import hmac
import struct
import time
import uuid
from pathlib import Path

from chromium import launch
from playwright.sync_api import Page, sync_playwright

PASSWORD = "a long pass phrase for the screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for ``secret`` now (RFC 6238)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class Camera:
    def __init__(self, outdir: Path, width: str) -> None:
        self.outdir, self.width, self.saved = outdir, width, []

    def __call__(self, page: Page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        target = self.outdir / f"{name}-{self.width}.png"
        page.screenshot(path=target, full_page=True)
        print(f"{page.url:<60} -> {target}")
        self.saved.append(target)


def signed_out(page: Page, shot: Camera) -> None:
    for name, path in [
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
        ("password-reset-bad-key", "/accounts/password/reset/key/1-bad-key/"),
        ("confirm-email-bad-key", "/accounts/confirm-email/bad-key/"),
        ("inactive", "/accounts/inactive/"),
    ]:
        page.goto(path)
        shot(page, name)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    shot(page, "login-error")
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    shot(page, "signup-errors")
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Reset my password").click()
    shot(page, "password-reset-done")


def sign_up(page: Page, shot: Camera, email: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill("Sam Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    shot(page, "signup-filled")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/confirm-email/")
    shot(page, "verification-sent")
    page.get_by_role("link", name="Confirm my e-mail address").click()
    shot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    shot(page, "signed-up-dashboard")


def signed_in(page: Page, shot: Camera) -> str:
    for name, path in [
        ("email", "/accounts/email/"),
        ("password-change", "/accounts/password/change/"),
        ("reauthenticate", "/accounts/reauthenticate/"),
        ("mfa-index", "/accounts/2fa/"),
        ("logout", "/accounts/logout/"),
    ]:
        page.goto(path)
        shot(page, name)
    page.goto("/accounts/password/change/")
    page.get_by_role("button", name="Change password").click()
    shot(page, "password-change-errors")
    page.goto("/accounts/reauthenticate/code/")
    shot(page, "reauthenticate-code-request")
    page.locator("main form button[type=submit]").first.click()
    shot(page, "reauthenticate-code-confirm")
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/totp/activate/")
    shot(page, "totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    shot(page, "totp-activated")
    page.goto("/accounts/2fa/recovery-codes/")
    shot(page, "recovery-codes")
    page.goto("/accounts/2fa/totp/deactivate/")
    shot(page, "totp-deactivate")
    return secret


def two_factor_sign_in(page: Page, shot: Camera, email: str, secret: str) -> None:
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign out").first.click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/2fa/authenticate/")
    shot(page, "mfa-authenticate")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    shot(page, "mfa-authenticate-error")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, viewport in VIEWPORTS.items():
                shot = Camera(args.outdir, width)
                context = browser.new_context(
                    base_url=args.url.rstrip("/"), viewport=viewport, locale="en-GB"
                )
                page = context.new_page()
                signed_out(page, shot)
                email = f"sam-{uuid.uuid4().hex[:8]}@example.org"
                sign_up(page, shot, email)
                secret = signed_in(page, shot)
                two_factor_sign_in(page, shot, email, secret)
                context.close()
                print(f"{len(shot.saved)} screenshots at {width} width in {args.outdir}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()

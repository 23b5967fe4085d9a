"""Debian's Chromium, as the browser tests and the screenshot script launch it."""

CHROMIUM = "/usr/bin/chromium"
# No background networking: this machine's closed network refuses those connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

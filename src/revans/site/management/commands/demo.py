import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from revans.site.demo import PASSWORD, SIGN_INS, load_demo

from .serve import port_from, serve


class Command(BaseCommand):
    help = "Migrates the database, loads the demo data (idempotently) and serves Revans."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-serve", action="store_true", help="Set up, then stop.")

    def handle(self, *args, host, port, no_serve, **options):
        port = port_from(str(port))
        call_command("migrate", interactive=False, verbosity=0)
        load_demo()
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nRevans demo on {url}"))
        self.stdout.write(f"Sign in with any of these (password: {PASSWORD}):")
        for email, who in SIGN_INS:
            self.stdout.write(f"  {email:<28} {who}")
        self.stdout.write("")
        if not no_serve:
            serve(host, port)

"""The ``revans`` command: Django's management commands, with Revans's own among them.

revans demo [--port 8000]   set up the database, load the demo data and serve it
revans serve [--port 8000]  serve Revans over HTTP and WebSockets (uvicorn)
revans group COHORT.csv ... form sets from a cohort file (CSV or XLSX; no Django)
revans group mdgp FILE ...  solve a grouping benchmark instance (no Django)
revans backup -o FILE       the database and uploaded files in one ZIP, while Revans runs
revans restore FILE         put a backup back (--force to replace a database holding data)
revans audit [--since 7d]   the audit log, newest first (--action, --actor ID, --limit)
revans migrate              and every other management command
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "coach":
        # The question coach needs no Django: label questions straight away.
        from revans.coach.__main__ import main as coach

        sys.exit(coach(argv[1:]))
    if argv and argv[0] == "group":
        # Forming groups needs no Django either.
        from revans.grouping.__main__ import main as group

        sys.exit(group(argv[1:]))
    if argv and argv[0] == "demo":
        # The demo runs on its own defaults (no secrets to set, plain HTTP on localhost).
        os.environ["REVANS_MODE"] = "demo"
        if "--port" in argv[:-1]:
            # Links in the demo's e-mails point at the port it serves on.
            os.environ["PORT"] = argv[argv.index("--port") + 1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revans.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["revans", *argv])


if __name__ == "__main__":
    main()

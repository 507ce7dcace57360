"""Run the local OpenID provider: `python -m devtools.oidc_provider [--host localhost] [--port 8001]
[--service-url http://127.0.0.1:8000]`. Migrates its own SQLite file, creates the demo people and
the client, then serves until stopped."""

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--service-url", default=os.environ.get("SERVICE_BASE_URL", "http://127.0.0.1:8000"))
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "devtools.oidc_provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_provider", service_url=args.service_url)
    sys.stdout.flush()
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main()

"""Run Django's deployment checks under production settings with placeholder secrets.

`make test` runs this; the settings tests reuse PLACEHOLDER_PRODUCTION_ENV to prove that each
unsafe setting makes the check fail. The placeholders are not real secrets or addresses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PLACEHOLDER_PRODUCTION_ENV = {
    "SCHOOLTECH_ENV": "production",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "schooltech.example",
    "SECRET_KEY": f"check-deploy-placeholder-{int(time.time())}-not-a-real-secret-0123456789abcdef",
    "NOTIFY_API_KEY": "placeholder-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
    "NOTIFY_CALLBACK_BEARER_TOKEN": "placeholder-callback-token-for-the-deploy-check-only",
    "OIDC_RP_CLIENT_ID": "placeholder-client",
    "OIDC_RP_CLIENT_SECRET": "placeholder-client-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://oidc.signin.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://oidc.signin.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://oidc.signin.example/me",
    "OIDC_OP_JWKS_ENDPOINT": "https://oidc.signin.example/certs",
    "OIDC_OP_LOGOUT_ENDPOINT": "https://oidc.signin.example/session/end",
    "DFE_SIGNIN_API_URL": "https://api.signin.example",
    "DFE_SIGNIN_API_SECRET": "placeholder-dfe-signin-api-secret",
    "SERVICE_BASE_URL": "https://schooltech.example",
}


def check_deploy(overrides: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **PLACEHOLDER_PRODUCTION_ENV, **(overrides or {})}
    env.setdefault("DATABASE_URL", "sqlite:////tmp/check-deploy.sqlite3")
    # What a test process sets for itself (Playwright's loop) is not part of a production environment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env = {name: value for name, value in env.items() if value is not None}
    command = [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


if __name__ == "__main__":
    result = check_deploy()
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    sys.exit(result.returncode)

"""Production refuses to start without its secrets; local runs have safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DEBUG"}}
    code = (
        "import schooltech.settings as s; "
        "print(s.DEBUG, getattr(s, 'SESSION_COOKIE_SECURE', False), s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(
        SCHOOLTECH_ENV="production", DATABASE_URL="postgres://x@localhost/db", ALLOWED_HOSTS="a.example"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = load_settings(SCHOOLTECH_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.example")
    assert "DATABASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(SCHOOLTECH_ENV="production", SECRET_KEY="x" * 60, DATABASE_URL="postgres://x@localhost/db")
    assert "ALLOWED_HOSTS must be set" in result.stderr


def load_production_settings_with_every_secret() -> subprocess.CompletedProcess:
    """Supply each secret production asks for in turn, so new required secrets need no test edit."""
    env = {"SCHOOLTECH_ENV": "production", "DATABASE_URL": "postgres://x@localhost/db", "ALLOWED_HOSTS": "a"}
    for _ in range(20):
        result = load_settings(**env)
        missing = [
            line for line in result.stderr.splitlines() if line.endswith("must be set when SCHOOLTECH_ENV=production")
        ]
        if not missing:
            return result
        name = missing[-1].split(": ")[-1].split(" must be set")[0]
        env[name] = "x" * 60
    raise AssertionError("production kept asking for more secrets")


def test_production_uses_secure_cookies():
    result = load_production_settings_with_every_secret()
    assert result.stdout.split() == ["False", "True", "django.db.backends.postgresql"]


def test_local_defaults_to_sqlite_with_debug_off():
    result = load_settings()
    assert result.stdout.split() == ["False", "False", "django.db.backends.sqlite3"]


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "y" * 50)
    code = "import schooltech.settings as s; print(s.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY_FILE": str(secret)},
    )
    assert result.stdout.strip() == "from-a-file-" + "y" * 50

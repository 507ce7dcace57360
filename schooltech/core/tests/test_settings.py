"""Production refuses to start without its secrets; local runs have safe defaults."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_production_uses_secure_cookies():
    placeholders = _check_deploy_module().PLACEHOLDER_PRODUCTION_ENV
    result = load_settings(**{**placeholders, "DATABASE_URL": "postgres://x@db.example/db"})
    assert result.stdout.split() == ["False", "True", "django.db.backends.postgresql"], result.stderr


def test_production_asks_for_each_missing_secret():
    placeholders = _check_deploy_module().PLACEHOLDER_PRODUCTION_ENV
    env = {name: value for name, value in placeholders.items() if name != "DFE_SIGNIN_API_SECRET"}
    result = load_settings(**{**env, "DATABASE_URL": "postgres://x@db.example/db"})
    assert "DFE_SIGNIN_API_SECRET must be set" in result.stderr


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


def settings_module_local_notify_key() -> str:
    source = (ROOT / "schooltech" / "settings.py").read_text(encoding="utf-8")
    return source.split('NOTIFY_LOCAL_API_KEY = "', 1)[1].split('"', 1)[0]


def _check_deploy_module():
    """scripts/check_deploy.py, loaded by path: `make test` runs the same check."""
    spec = importlib.util.spec_from_file_location("check_deploy", ROOT / "scripts" / "check_deploy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_deploy():
    """The check as `make test` runs it, without the variable the browser tests set in this process."""
    check_deploy = _check_deploy_module().check_deploy
    return lambda overrides=None: check_deploy({"DJANGO_ALLOW_ASYNC_UNSAFE": None, **(overrides or {})})


def test_check_deploy_passes_with_safe_production_settings():
    result = _check_deploy()()
    assert result.returncode == 0, result.stderr


UNSAFE_PRODUCTION_SETTINGS = {
    "debug on": ({"DEBUG": "1"}, "DEBUG must be off"),
    "short secret key": ({"SECRET_KEY": "too-short-0123456789"}, "SECRET_KEY must be at least 50"),
    "repetitive secret key": ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be at least 50"),
    "fake DfE Sign-in API": ({"DFE_SIGNIN_API_URL": "fake"}, "DFE_SIGNIN_API_URL must be the real"),
    "local Notify key": (
        {"NOTIFY_API_KEY": settings_module_local_notify_key()},
        "NOTIFY_API_KEY must be a real GOV.UK Notify key",
    ),
    "Notify on loopback": ({"NOTIFY_BASE_URL": "http://127.0.0.1:8002"}, "NOTIFY_BASE_URL must not be a loopback"),
    "Notify over http": ({"NOTIFY_BASE_URL": "http://notify.example"}, "NOTIFY_BASE_URL must use https"),
    "service URL on localhost": (
        {"SERVICE_BASE_URL": "http://localhost:8000"},
        "SERVICE_BASE_URL must not be a loopback",
    ),
    "sign-in on localhost": (
        {"OIDC_OP_TOKEN_ENDPOINT": "http://localhost:8001/o/token/"},
        "OIDC_OP_TOKEN_ENDPOINT must not be a loopback",
    ),
    "sign-in on IPv6 loopback": (
        {"OIDC_OP_AUTHORIZATION_ENDPOINT": "https://[::1]/auth"},
        "OIDC_OP_AUTHORIZATION_ENDPOINT must not be a loopback",
    ),
    "fake training link checker": ({"TRAINING_LINK_CHECKER": "fake"}, "TRAINING_LINK_CHECKER must be http"),
    "typo in a yes/no setting": ({"SECURE_SSL_REDIRECT": "ture"}, "is not a yes/no value"),
    "sign-in endpoint not named": ({"OIDC_OP_JWKS_ENDPOINT": None}, "OIDC_OP_JWKS_ENDPOINT must be set"),
}


@pytest.mark.parametrize(("overrides", "reason"), UNSAFE_PRODUCTION_SETTINGS.values(), ids=UNSAFE_PRODUCTION_SETTINGS)
def test_check_deploy_fails_on_each_unsafe_production_setting(overrides, reason):
    result = _check_deploy()(overrides)
    assert result.returncode != 0
    assert reason in result.stderr


def test_a_typo_in_a_yes_no_setting_is_an_error_locally_too():
    result = load_settings(DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG='flase' is not a yes/no value" in result.stderr


def test_yes_no_settings_accept_the_usual_words():
    assert load_settings(DEBUG="Yes").stdout.split()[0] == "True"
    assert load_settings(DEBUG="off").stdout.split()[0] == "False"


def test_a_sqlite_database_file_is_in_wal_mode_with_kept_connections(tmp_path):
    """Pages read while the worker or another request writes; each process keeps its connection."""
    database = tmp_path / "service.sqlite3"
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'schooltech.settings'; django.setup(); "
        "from django.db import connection; from django.conf import settings; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(cursor.fetchone()[0], settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": f"sqlite:///{database}", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    mode, kept_for = result.stdout.split()
    assert mode == "wal" and int(kept_for) > 0

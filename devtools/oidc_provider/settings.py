"""A small OpenID provider for development and browser tests (django-oauth-toolkit), issuing
DfE Sign-in-shaped claims for the demo people in schooltech/demo/people.py. Never deployed.

Runs on http://localhost:8001 while the service runs on http://127.0.0.1:8000: browsers scope
cookies by host, so the two sites keep separate sessions (and the cookie names differ too).
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent.parent
STATE_DIR = Path(os.environ.get("OIDC_PROVIDER_STATE_DIR", ROOT / "var" / "oidc_provider"))
STATE_DIR.mkdir(parents=True, exist_ok=True)


def _signing_key() -> str:
    """The RSA key that signs ID tokens: made on first start, kept in the state folder."""
    path = STATE_DIR / "signing-key.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return path.read_text()


SECRET_KEY = "local-oidc-provider-only-not-a-secret-0123456789abcdefghijklmnop"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "devtools.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "devtools.oidc_provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": STATE_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True
TIME_ZONE = "Europe/London"

SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"
LOGIN_URL = "/login/"

# Tests start the provider with OIDC_PROVIDER_FAST_HASHING=1: the demo password is published, and
# the default hasher's deliberate slowness (about a second a sign-in here) tests nothing of ours.
if os.environ.get("OIDC_PROVIDER_FAST_HASHING") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in rate limit: this many failures per username and per address in the window, then 429.
SIGN_IN_MAX_FAILURES = int(os.environ.get("OIDC_PROVIDER_MAX_FAILURES", "5"))
SIGN_IN_WINDOW_SECONDS = int(os.environ.get("OIDC_PROVIDER_WINDOW_SECONDS", "300"))

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "devtools.oidc_provider.validators.DfeShapedValidator",
    "SCOPES": {
        "openid": "Sign you in",
        "email": "Your email address",
        "profile": "Your name",
        "organisation": "Your organisation",
    },
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

"""Settings, all from environment variables with safe local defaults.

SCHOOLTECH_ENV=production turns on the production posture: it refuses to start without its
secrets, and sets secure cookies, HSTS and an HTTPS redirect. Anything else is a local run
(SQLite file, loopback fakes). DEBUG is off unless DEBUG=1 is set (the dev command sets it).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Read a setting, or the contents of the file named by NAME_FILE (for mounted secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no setting. A typo is an error, never a silent "false"."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1, 0, true, false, yes, no, on or off")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("SCHOOLTECH_ENV", "local")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", False)

# Adds /_bench/layout-floor for scripts/bench_pages.py; never set in production.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False) and not IS_PRODUCTION

SERVICE_NAME = "Plan and manage school technology"
FEEDBACK_URL = env_str("FEEDBACK_URL", "mailto:schooltech.feedback@education.gov.uk")


def _require(name: str, value: str) -> str:
    if IS_PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} must be set when SCHOOLTECH_ENV=production")
    return value


SECRET_KEY = _require("SECRET_KEY", env_str("SECRET_KEY")) or (
    "local-only-insecure-key-do-not-use-in-production-0123456789abcdefghijklmnop"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when SCHOOLTECH_ENV=production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "schooltech.core",
    "schooltech.organisations",
    "schooltech.notifications",
    "simple_history",
    "mozilla_django_oidc",
    "schooltech.accounts",
    "schooltech.estate",
    "schooltech.standards",
    "schooltech.planning",
    "schooltech.training",
    "schooltech.insights",
    "schooltech.legacy",
    "schooltech.peer",
    "schooltech.demo",
    # After the service's apps, so core/templates/ninja/swagger.html replaces django-ninja's. It serves the
    # API docs page's Swagger UI from its own package's static files (no CDN), under the strict CSP.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "schooltech.core.middleware.PrivateNoStoreMiddleware",
    "schooltech.accounts.middleware.SessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "schooltech.core.middleware.RequestLogMiddleware",
]

ROOT_URLCONF = "schooltech.urls"
WSGI_APPLICATION = "schooltech.wsgi.application"

TEMPLATES = [
    {
        # Service pages: Jinja2 with the GOV.UK Frontend macros, from each app's jinja2/ folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "schooltech.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "schooltech.core.context_processors.service",
            ],
        },
    },
    {
        # Django admin and third-party apps keep Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _require("DATABASE_URL", env_str("DATABASE_URL")) or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked" (web, worker and tests share the file).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",  # readers never wait for the writer
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Locally WhiteNoise serves straight from static/ (built by `make assets`); production serves
# the hashed, compressed copies made by collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security headers. The CSP allows no inline script or style: the one inline script in the
# GOV.UK template carries the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *env_list("CSP_FORM_ACTION_EXTRA", "")],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "schooltech.core.views.csrf_failure"

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthcheck$"]

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "schooltech.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# Data shipped with the service (GIAS and ONS extracts, OGL); see data/README.md.
SHIPPED_DATA_DIR = BASE_DIR / "data"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# GOV.UK Notify. Locally the key and URL point at the fake in devtools/fake_notify (port 8002);
# the local key is not a secret. Notify allows 3,000 messages a minute per key (rolling): we pace
# below it with a token bucket shared by every worker.
NOTIFY_LOCAL_API_KEY = "schooltech_local-5b9d6c1e-0d3a-4f7e-9a61-3c2f8b7e4d10-0f4c2a9e-7b1d-4e8a-b6c3-9d5e1f2a3b4c"
NOTIFY_API_KEY = _require("NOTIFY_API_KEY", env_str("NOTIFY_API_KEY")) or NOTIFY_LOCAL_API_KEY
NOTIFY_BASE_URL = env_str(
    "NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk" if IS_PRODUCTION else "http://127.0.0.1:8002"
)
NOTIFY_CALLBACK_BEARER_TOKEN = _require("NOTIFY_CALLBACK_BEARER_TOKEN", env_str("NOTIFY_CALLBACK_BEARER_TOKEN")) or (
    "local-notify-callback-token-0123456789"
)
NOTIFY_TEMPLATE_IDS = dict(item.split("=", 1) for item in env_list("NOTIFY_TEMPLATE_IDS"))
NOTIFY_TIMEOUT_SECONDS = env_int("NOTIFY_TIMEOUT_SECONDS", 10)
NOTIFY_SEND_RATE_PER_MINUTE = env_int("NOTIFY_SEND_RATE_PER_MINUTE", 2850)
NOTIFY_SEND_BURST = env_int("NOTIFY_SEND_BURST", 50)
NOTIFY_DAILY_CAP = env_int("NOTIFY_DAILY_CAP", 250000)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 30)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 12)

# Sign-in: OpenID Connect (DfE Sign-in, or any standard provider, configured by these settings
# alone). Local defaults point at the provider in devtools/oidc_provider on http://localhost:8001
# (a different host from the service, so the two sites' cookies do not collide).
AUTHENTICATION_BACKENDS = [
    "schooltech.accounts.oidc.ServiceOIDCBackend",
    "django.contrib.auth.backends.ModelBackend",  # the Django admin's own sign-in for support staff
]
OIDC_ISSUER = env_str("OIDC_ISSUER", "http://localhost:8001/o")


def _oidc_endpoint(name: str, local_path: str) -> str:
    """Production names every provider endpoint (DfE Sign-in's paths differ from the local provider's)."""
    return _require(name, env_str(name)) or f"{OIDC_ISSUER}{local_path}"


OIDC_RP_CLIENT_ID = _require("OIDC_RP_CLIENT_ID", env_str("OIDC_RP_CLIENT_ID")) or "schooltech-local"
OIDC_RP_CLIENT_SECRET = _require("OIDC_RP_CLIENT_SECRET", env_str("OIDC_RP_CLIENT_SECRET")) or (
    "schooltech-local-secret-not-for-production"
)
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc_endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT", "/authorize/")
OIDC_OP_TOKEN_ENDPOINT = _oidc_endpoint("OIDC_OP_TOKEN_ENDPOINT", "/token/")
OIDC_OP_USER_ENDPOINT = _oidc_endpoint("OIDC_OP_USER_ENDPOINT", "/userinfo/")
OIDC_OP_JWKS_ENDPOINT = _oidc_endpoint("OIDC_OP_JWKS_ENDPOINT", "/.well-known/jwks.json")
# DfE Sign-in: https://oidc.signin.education.gov.uk/session/end
OIDC_OP_LOGOUT_ENDPOINT = _oidc_endpoint("OIDC_OP_LOGOUT_ENDPOINT", "/logout/")
OIDC_OP_LOGOUT_URL_METHOD = "schooltech.accounts.oidc.provider_logout_url"
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile organisation")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint for RP-initiated sign-out
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_CALLBACK_CLASS = "schooltech.accounts.oidc.ServiceOIDCCallbackView"  # a stale state ends on "sign-in failed"
LOGIN_URL = "oidc_authentication_init"
LOGIN_REDIRECT_URL = "accounts:signed_in"
LOGIN_REDIRECT_URL_FAILURE = "accounts:sign_in_failed"
LOGOUT_REDIRECT_URL = "accounts:signed_out"

# DfE Sign-in public API (service roles are not in the token). "fake" uses the in-repo fake.
DFE_SIGNIN_API_URL = env_str("DFE_SIGNIN_API_URL", "" if IS_PRODUCTION else "fake")
DFE_SIGNIN_API_SECRET = _require("DFE_SIGNIN_API_SECRET", env_str("DFE_SIGNIN_API_SECRET")) or (
    "local-dfe-signin-api-secret"
)
DFE_SIGNIN_SERVICE_ID = env_str("DFE_SIGNIN_SERVICE_ID", "")
DFE_SIGNIN_AUDIENCE = env_str("DFE_SIGNIN_AUDIENCE", "signin.education.gov.uk")

# Training course links (training/links.py): "http" asks each course's page; "fake" (local runs and
# tests) answers that every link works without touching the network.
TRAINING_LINK_CHECKER = env_str("TRAINING_LINK_CHECKER", "http" if IS_PRODUCTION else "fake")

# Sessions: an idle timeout and an absolute timeout (accounts/middleware.py). The session is saved
# only when it changes, so a page view does not write to the database.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_SECONDS
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 8 * 60 * 60)
ACCESS_REQUEST_ESCALATION_DAYS = env_int("ACCESS_REQUEST_ESCALATION_DAYS", 5)
ACCESS_REQUEST_NUDGE_DAYS = env_int("ACCESS_REQUEST_NUDGE_DAYS", 2)  # approvers are reminded first
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "schooltech.support@education.gov.uk")
SERVICE_BASE_URL = _require("SERVICE_BASE_URL", env_str("SERVICE_BASE_URL")) or "http://127.0.0.1:8000"
# Signing out posts a form that redirects to the provider's end-session endpoint, and browsers
# apply form-action to that redirect too.
SECURE_CSP["form-action"].append("{0.scheme}://{0.netloc}".format(urlsplit(OIDC_OP_LOGOUT_ENDPOINT)))


def _is_local_address(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in {"localhost", "0.0.0.0", "::1", "::"} or host.startswith("127.") or host.endswith(".localhost")


def unsafe_production_settings() -> list[str]:
    """What would make a production instance unsafe: each is a reason to refuse to start."""
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY must be at least 50 characters with at least 5 different ones")
    if DFE_SIGNIN_API_URL in {"", "fake"}:
        problems.append("DFE_SIGNIN_API_URL must be the real DfE Sign-in API, not the in-repo fake")
    if TRAINING_LINK_CHECKER != "http":
        problems.append("TRAINING_LINK_CHECKER must be http, so broken course links are found")
    if NOTIFY_API_KEY == NOTIFY_LOCAL_API_KEY:
        problems.append("NOTIFY_API_KEY must be a real GOV.UK Notify key, not the local fake's")
    addresses = {
        "SERVICE_BASE_URL": SERVICE_BASE_URL,
        "NOTIFY_BASE_URL": NOTIFY_BASE_URL,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "OIDC_OP_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        "OIDC_OP_LOGOUT_ENDPOINT": OIDC_OP_LOGOUT_ENDPOINT,
        "DFE_SIGNIN_API_URL": DFE_SIGNIN_API_URL,
    }
    for name, url in addresses.items():
        if url in {"", "fake"}:
            continue
        if _is_local_address(url):
            problems.append(f"{name} must not be a loopback or localhost address ({url})")
        elif urlsplit(url).scheme != "https":
            problems.append(f"{name} must use https ({url})")
    return problems


if IS_PRODUCTION and (_problems := unsafe_production_settings()):
    raise ImproperlyConfigured(
        "Refusing to start with unsafe production settings (SCHOOLTECH_ENV=production):\n- " + "\n- ".join(_problems)
    )

"""Settings shared by every environment. Everything an operator changes comes from CEIBA_* variables
(documented in docs/operations.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "ceiba"
VAR_DIR = Path(os.environ.get("CEIBA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("CEIBA_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("CEIBA_DEBUG", False)
ALLOWED_HOSTS = env_list("CEIBA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CEIBA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ceiba.common",
    "ceiba.core",
    "ceiba.sharing",
    "ceiba.documentation",
    "ceiba.assessment",
    "ceiba.policy",
    "ceiba.observatory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ceiba.common.middleware.LanguageMiddleware",
    "ceiba.common.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ceiba.common.middleware.AuditContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ceiba.core.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceiba.common.context_processors.platform",
                "ceiba.core.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CEIBA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'ceiba.sqlite3'}"),
        conn_max_age=int(os.environ.get("CEIBA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: a page's queries take milliseconds, and compiling one whose *estimated* cost
    # passes jit_above_cost took 0.5 s (the search with its access-policy subqueries; decision 0033).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in str(_options.get("options", "")):
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock a username+address pair after five failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CEIBA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CEIBA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "Ceiba"
OTP_TOTP_THROTTLE_FACTOR = 1

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the cookie-less template tag; kept default-safe
CSRF_FAILURE_VIEW = "ceiba.common.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("CEIBA_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
CEIBA_MAX_REQUEST_BYTES = int(os.environ.get("CEIBA_MAX_REQUEST_BYTES", str(25 * 1024 * 1024)))
# Imports (docs/operations.md): the largest file an import accepts (web uploads are also bounded by
# CEIBA_MAX_REQUEST_BYTES), where uploaded files are kept, and what an XLSX may unpack to.
CEIBA_IMPORT_MAX_BYTES = int(os.environ.get("CEIBA_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
CEIBA_IMPORT_DIR = Path(os.environ.get("CEIBA_IMPORT_DIR", VAR_DIR / "imports"))
CEIBA_IMPORT_XLSX_MAX_UNCOMPRESSED = int(
    os.environ.get("CEIBA_IMPORT_XLSX_MAX_UNCOMPRESSED", str(1024 * 1024 * 1024))
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("en", _("English")),
    ("fr", _("French")),
]
LANGUAGE_COOKIE_NAME = "ceiba_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("CEIBA_TIME_ZONE", "America/Panama")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Threat-report attachments: outside MEDIA_ROOT and every served URL; read only through the
    # download view, which checks the access policy.
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "attachments"), "base_url": "/not-served/"},
    },
}
#: The largest attachment a threat report accepts (bytes; docs/operations.md).
CEIBA_ATTACHMENT_MAX_BYTES = int(os.environ.get("CEIBA_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ceiba.common.api.authentication.PersonalTokenAuthentication",
        "ceiba.common.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ceiba.common.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ceiba.common.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute"},
}
KNOX_TOKEN_MODEL = "core.APIToken"
REST_KNOX = {
    "TOKEN_MODEL": "core.APIToken",
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ceiba API",
    "DESCRIPTION": "REST API of Ceiba, the platform for regional security cooperation in the Americas.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per shared choice set (the harm dimensions share a scale; subregions appear twice).
    "ENUM_NAME_OVERRIDES": {
        "HarmLevelEnum": "ceiba.documentation.choices.HarmLevel",
        "SubregionEnum": "ceiba.core.choices.Subregion",
        "RunKindEnum": "ceiba.assessment.choices.RunKind",
        "StatisticKindEnum": "ceiba.documentation.models.StatisticKind",
        "NotificationChannelEnum": "ceiba.core.choices.NotificationChannel",
        "ScopeEnum": "ceiba.sharing.choices.Scope",
        # The policy cycle (issue 5).
        "ActionStatusEnum": "ceiba.policy.choices.ActionStatus",
        "QuorumRuleEnum": "ceiba.policy.choices.QuorumRule",
        "MajorityRuleEnum": "ceiba.policy.choices.MajorityRule",
        "ParticipantRoleEnum": "ceiba.policy.choices.ParticipantRole",
        "RoleEnum": "ceiba.core.choices.Role",
        "ImplementationStatusEnum": "ceiba.policy.choices.ImplementationStatus",
        "CycleStatusEnum": "ceiba.policy.choices.CycleStatus",
        "PlanStatusEnum": "ceiba.policy.choices.PlanStatus",
        "ActorRoleEnum": "ceiba.policy.choices.ActorRole",
        "ResultKindEnum": "ceiba.policy.choices.ResultKind",
        "KpiUnitEnum": "ceiba.policy.choices.KpiUnit",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

EMAIL_BACKEND = os.environ.get("CEIBA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("CEIBA_FROM_EMAIL", "ceiba@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("CEIBA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CEIBA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CEIBA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CEIBA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CEIBA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("CEIBA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("CEIBA_EMAIL_TIMEOUT", "30"))
# Links in e-mails: notifications store paths inside the platform, e-mails need the full address.
CEIBA_BASE_URL = os.environ.get("CEIBA_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CEIBA_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}

CEIBA_PLATFORM_NAME = "Ceiba"

# Observatory: its public read-only API has its own throttle scope (per client address or user).
CEIBA_OBSERVATORY_API_RATE = os.environ.get("CEIBA_OBSERVATORY_API_RATE", "120/minute")
_throttle_rates: dict[str, str] = REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # type: ignore[assignment]
_throttle_rates["observatory"] = CEIBA_OBSERVATORY_API_RATE

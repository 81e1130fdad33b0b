"""What a production process checks before it serves anything."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REFUSAL = (
    "生产模式（LIANGZE_DEBUG 未开启）必须设置 LIANGZE_SECRET_KEY 或 LIANGZE_SECRET_KEY_FILE，"
    "各台服务器使用同一密钥；生成方法见 README「生产部署」。 "
    "Production (LIANGZE_DEBUG off) needs LIANGZE_SECRET_KEY or LIANGZE_SECRET_KEY_FILE, "
    "the same on every host; see README, Production."
)


def require_secret_key() -> None:
    """Refuse to start rather than sign sessions with a key other hosts do not share."""
    try:
        settings.SECRET_KEY  # noqa: B018  # Django checks an empty key when it is read
    except ImproperlyConfigured:
        raise ImproperlyConfigured(REFUSAL) from None

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    set(string.ascii_lowercase),
    set(string.ascii_uppercase),
    set(string.digits),
)


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, other characters (等保)."""

    required = 3

    def validate(self, password: str, user: object = None) -> None:
        chars = set(password)
        used = sum(1 for cls in _CLASSES if chars & cls)
        used += 1 if chars - set().union(*_CLASSES) else 0
        if used < self.required:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (its own catalogue lacks this string)."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

"""Shapes of what clients send: e-mails, passwords, free text, hashes. Every limit is checked
here, before the database sees a value, so bad input is refused with a clear message."""

from __future__ import annotations

import re
import uuid

from services.core.errors import InvalidArgument

EMAIL_MAX = 255
PASSWORD_MIN = 8
PASSWORD_MAX = 1024  # Argon2 takes any length; the cap keeps hashing cost bounded
NAME_MAX = 255
BATCH_MAX = 1000

# One @, something on each side, a dot in the domain, no spaces: deliverability is the mail
# server's business, this only catches typing mistakes.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The stored form of ``email`` (trimmed, lower-case); InvalidArgument when it is not one."""
    value = normalise_email(email)
    if len(value) > EMAIL_MAX or "\x00" in value or not _EMAIL.fullmatch(value):
        raise InvalidArgument(f"Invalid e-mail address: {email[:EMAIL_MAX]!r}.")
    return value


def check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InvalidArgument(f"The password must have at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise InvalidArgument(f"The password must have at most {PASSWORD_MAX} characters.")
    if "\x00" in password:
        raise InvalidArgument("The password contains a NUL character.")
    return password


def clean_text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    """Trimmed ``value``; refused when too long, empty but required, or holding NUL (which
    PostgreSQL cannot store)."""
    value = value.strip()
    if required and not value:
        raise InvalidArgument(f"A {field} is needed.")
    if len(value) > max_length:
        raise InvalidArgument(f"The {field} must have at most {max_length} characters.")
    if "\x00" in value:
        raise InvalidArgument(f"The {field} contains a NUL character.")
    return value


def check_batch(items, *, what: str, limit: int = BATCH_MAX) -> list:
    items = list(items)
    if len(items) > limit:
        raise InvalidArgument(f"Too many {what}: at most {limit} per request.")
    return items


def unique(items) -> list:
    """Items in their first-seen order, each once."""
    return list(dict.fromkeys(items))


def check_group_hash(value: str) -> str:
    """The canonical form of a group hash (a UUID)."""
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        raise InvalidArgument(f"Invalid group hash: {value[:64]!r}.") from None


def like_pattern(by_name: str) -> str | None:
    """EcoTaxa's name search as a LIKE pattern (escape character ``\\``): ``%`` is the wildcard;
    text without ``%`` matches anywhere in the name; ``_`` and ``\\`` are literal. None when
    there is nothing to search for."""
    text = by_name.strip()
    if not text.replace("%", ""):
        return "%" if text else None
    escaped = text.replace("\\", "\\\\").replace("_", "\\_")
    return escaped if "%" in text else f"%{escaped}%"

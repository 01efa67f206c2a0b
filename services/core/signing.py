"""Signed media links: ``/media/<key>.<ext>?expires=<unix time>&sig=<hex>``. Whoever holds a link
may fetch that blob until it expires; the signature (HMAC-SHA-256 over key, extension and expiry,
with a key derived from the platform's secret for this use only) makes links unforgeable and
unalterable. Links are minted by the service that checked the caller's rights, and verified by
the gateway that serves them."""

from __future__ import annotations

import hashlib
import hmac
import time

from services.core.blobs import is_key
from services.core.errors import PermissionDenied
from services.core.media import extension_for_media_type

LINK_REFUSED = "This link is invalid or has expired."
PREFIX = "/media/"


class MediaSigner:
    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"copepod media links v1", hashlib.sha256).digest()

    def _sign(self, name: str, expires: int) -> str:
        return hmac.new(self._key, f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def link(self, key: str, *, media_type: str, expires_in: int, now: float | None = None) -> str:
        """A relative link to blob ``key``, valid ``expires_in`` seconds."""
        name = f"{key}.{extension_for_media_type(media_type)}"
        expires = int(now if now is not None else time.time()) + int(expires_in)
        return f"{PREFIX}{name}?expires={expires}&sig={self._sign(name, expires)}"

    def verify(self, name: str, expires: str | None, sig: str | None, *, now: float | None = None) -> str:
        """The blob key of a link's ``name`` (``<key>.<ext>``), or PermissionDenied."""
        key, _, ext = name.partition(".")
        if not (is_key(key) and ext and expires and sig and expires.isdigit()):
            raise PermissionDenied(LINK_REFUSED)
        if not hmac.compare_digest(self._sign(name, int(expires)), sig):
            raise PermissionDenied(LINK_REFUSED)
        if int(expires) < (now if now is not None else time.time()):
            raise PermissionDenied(LINK_REFUSED)
        return key


def absolute(base_url: str, link: str) -> str:
    """A relative link made absolute against the public base URL."""
    return base_url.rstrip("/") + link if link.startswith("/") else link

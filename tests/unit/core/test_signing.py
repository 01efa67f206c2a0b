"""Signed media links: they verify until they expire; any tampering is refused."""

from __future__ import annotations

import hashlib

import pytest

from services.core.errors import PermissionDenied
from services.core.signing import MediaSigner, absolute


KEY = hashlib.sha256(b"x").hexdigest()


def test_a_signed_link_verifies_until_it_expires():
    signer = MediaSigner("secret")
    link = signer.link(KEY, media_type="image/png", expires_in=900, now=1_000)
    path, _, query = link.partition("?")
    assert path == f"/media/{KEY}.png"
    params = dict(p.split("=") for p in query.split("&"))
    assert params["expires"] == "1900"
    assert signer.verify(f"{KEY}.png", params["expires"], params["sig"], now=1_899) == KEY
    with pytest.raises(PermissionDenied):
        signer.verify(f"{KEY}.png", params["expires"], params["sig"], now=1_901)


@pytest.mark.parametrize("tamper", ["sig", "expires", "key", "ext", "secret", "missing"])
def test_tampered_links_are_refused(tamper):
    signer = MediaSigner("secret")
    query = signer.link(KEY, media_type="image/png", expires_in=900, now=1_000).partition("?")[2]
    params = dict(p.split("=") for p in query.split("&"))
    name, expires, sig = f"{KEY}.png", params["expires"], params["sig"]
    if tamper == "sig":
        sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    elif tamper == "expires":
        expires = str(int(expires) + 3600)
    elif tamper == "key":
        name = f"{hashlib.sha256(b'y').hexdigest()}.png"
    elif tamper == "ext":
        name = f"{KEY}.html"
    elif tamper == "secret":
        signer = MediaSigner("another")
    else:
        sig = None
    with pytest.raises(PermissionDenied):
        signer.verify(name, expires, sig, now=1_000)


def test_links_are_made_absolute_against_the_public_base():
    assert absolute("https://copepod.example.org/", "/media/x.png?e=1") == "https://copepod.example.org/media/x.png?e=1"
    assert absolute("http://h:8000", "https://elsewhere/x") == "https://elsewhere/x"

"""Input shapes and EcoTaxa's update rules."""

import pytest

from services.core.errors import InvalidArgument, PermissionDenied
from services.users.domain import accounts, credentials
from services.users.domain.validation import (check_email, check_group_hash, check_password, clean_text,
                                              like_pattern)
from services.users.store import User


@pytest.mark.parametrize("raw, stored", [(" Ada@Example.ORG ", "ada@example.org"), ("a.b+c@x.co", "a.b+c@x.co")])
def test_emails_are_stored_trimmed_and_lower_case(raw, stored):
    assert check_email(raw) == stored


@pytest.mark.parametrize("bad", ["", "ada", "ada@", "@x.org", "ada@x", "a da@x.org", "a@b@x.org",
                                 "a\x00@x.org", "a@x." , "x" * 250 + "@x.org"])
def test_malformed_emails_are_refused(bad):
    with pytest.raises(InvalidArgument):
        check_email(bad)


def test_password_length_limits():
    assert check_password("8 chars!") == "8 chars!"
    for bad in ("short", "", "x" * 1025, "with\x00nul-char"):
        with pytest.raises(InvalidArgument):
            check_password(bad)


def test_clean_text():
    assert clean_text("  LOV  ", field="organisation", max_length=10) == "LOV"
    with pytest.raises(InvalidArgument, match="A name is needed"):
        clean_text("   ", field="name", max_length=10, required=True)
    with pytest.raises(InvalidArgument, match="at most 3"):
        clean_text("abcd", field="orcid", max_length=3)
    with pytest.raises(InvalidArgument, match="NUL"):
        clean_text("a\x00b", field="country", max_length=10)


def test_group_hashes_are_uuids():
    assert check_group_hash("9F1C2B7E-1D2A-4C3B-8E4F-5A6B7C8D9E0F") == "9f1c2b7e-1d2a-4c3b-8e4f-5a6b7c8d9e0f"
    with pytest.raises(InvalidArgument):
        check_group_hash("not-a-uuid")


@pytest.mark.parametrize("by_name, pattern", [
    ("love", "%love%"),             # plain text matches anywhere
    ("%userNa%", "%userNa%"),       # EcoTaxa's wildcard kept
    ("ada%", "ada%"),               # anchored at the start
    ("a_b", "%a\\_b%"),             # underscore is literal
    ("50\\%", "50\\\\%"),           # backslash is literal
    ("%", "%"),
    ("  ", None),
    ("", None),
])
def test_search_patterns(by_name, pattern):
    assert like_pattern(by_name) == pattern


def user(**fields) -> User:
    base = dict(id=5, email="me@x.org", name="Me", password_hash="h", organisation="", country="", orcid="",
                usercreationreason="", status=1, status_admin_comment="", is_admin=False)
    return User(**{**base, **fields})


def test_a_user_changes_own_profile_fields_only():
    me = user()
    changes = accounts.clean_changes({"name": "New", "email": "ME@x.org", "status": 1, "country": "Peru"})
    assert accounts.allowed_changes(actor_is_admin=False, is_self=True, current=me, changes=changes) == {
        "name": "New", "country": "Peru"}  # unchanged values are not changes
    for forbidden in ({"email": "other@x.org"}, {"status": 0}, {"is_admin": True},
                      {"usercreationreason": "x"}, {"status_admin_comment": "x"}):
        with pytest.raises(PermissionDenied):
            accounts.allowed_changes(actor_is_admin=False, is_self=True, current=me,
                                     changes=accounts.clean_changes(forbidden))


def test_nobody_but_an_administrator_changes_another_account():
    with pytest.raises(PermissionDenied):
        accounts.allowed_changes(actor_is_admin=False, is_self=False, current=user(), changes={"name": "X"})
    assert accounts.allowed_changes(actor_is_admin=True, is_self=False, current=user(),
                                    changes=accounts.clean_changes({"email": "new@x.org", "status": -1})) == {
        "email": "new@x.org", "status": 0}


def test_an_administrator_cannot_lock_themselves_out():
    me = user(is_admin=True)
    for changes in ({"is_admin": False}, {"status": 0}):
        with pytest.raises(InvalidArgument):
            accounts.allowed_changes(actor_is_admin=True, is_self=True, current=me, changes=changes)


def test_unknown_fields_and_statuses_are_invalid():
    with pytest.raises(InvalidArgument, match="password_hash"):
        accounts.clean_changes({"password_hash": "x"})
    with pytest.raises(InvalidArgument):
        accounts.clean_changes({"status": 7})


def test_can_do():
    assert accounts.can_do(user()) == [1, 4]
    assert accounts.can_do(user(is_admin=True)) == [1, 2, 3, 4]


@pytest.mark.parametrize("token, parts", [
    ("cpk_abc123.s3cr-et_", ("abc123", "s3cr-et_")),
    ("cpk_abc123", None),
    ("cpk_.secret", None),
    ("cpk_abc.", None),
    ("eyJhbGciOi.x.y", None),
])
def test_api_key_token_shape(token, parts):
    assert credentials.split_api_key(token) == parts

"""Accounts: creation, reading, EcoTaxa's update rules, activation, the bootstrap administrator."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from services.users import events, store
from services.users.domain import passwords
from services.users.domain.validation import (NAME_MAX, check_batch, check_email, check_password, clean_text,
                                              like_pattern, normalise_email, unique)
from services.users.store import ACTIVE, INACTIVE, User

if TYPE_CHECKING:
    from services.core.bus import EventBus
    from services.core.host import ServiceContext

log = logging.getLogger(__name__)

ADMIN_MARKER = "COPEPOD-ADMIN"  # services.core.launcher shows the lines carrying it
SEARCH_LIMIT = 1000

# EcoTaxa's allowed actions: 1 create a project, 2 administrate the app, 3 administrate users,
# 4 create a taxon. Every active user may create projects and taxa here.
CAN_DO_USER = (1, 4)
CAN_DO_ADMIN = (1, 2, 3, 4)

# Fields a caller may name in an update, with their text limits (None: not free text).
UPDATABLE = {
    "email": None,
    "name": NAME_MAX,
    "organisation": 512,
    "country": 100,
    "orcid": 50,
    "usercreationreason": 1000,
    "status": None,
    "status_admin_comment": 1000,
    "is_admin": None,
}
SELF_EDITABLE = frozenset({"name", "organisation", "country", "orcid"})
# EcoTaxa's statuses: 1 active, 0 inactive, 2 pending, -1 blocked. Only active lets one in.
KNOWN_STATUSES = (-1, 0, 1, 2)


def can_do(user: User) -> list[int]:
    return list(CAN_DO_ADMIN if user.is_admin else CAN_DO_USER)


def privileged(actor: Principal) -> bool:
    """Services and application administrators see every account and membership."""
    return actor.service is not None or actor.is_admin


def check_status(value: int) -> int:
    if value not in KNOWN_STATUSES:
        raise InvalidArgument(f"Unknown status {value}: use 1 (active) or 0 (inactive).")
    return ACTIVE if value == ACTIVE else INACTIVE


def clean_changes(changes: Mapping[str, object]) -> dict[str, object]:
    """The requested values in their stored form; InvalidArgument for unknown fields or bad values."""
    cleaned: dict[str, object] = {}
    for field, value in changes.items():
        if field not in UPDATABLE:
            raise InvalidArgument(f"The field {field!r} cannot be updated.")
        if field == "email":
            cleaned[field] = check_email(str(value))
        elif field == "status":
            cleaned[field] = check_status(int(value))
        elif field == "is_admin":
            cleaned[field] = bool(value)
        else:
            cleaned[field] = clean_text(str(value), field=field, max_length=UPDATABLE[field], required=field == "name")
    return cleaned


def allowed_changes(*, actor_is_admin: bool, is_self: bool, current: User, changes: Mapping[str, object]) -> dict:
    """EcoTaxa's update rights, applied to cleaned ``changes``: what actually changes. An
    administrator may change any field; a user may change their own name, organisation, country
    and orcid (a value sent unchanged is not a change); nobody else may change anything."""
    if not (actor_is_admin or is_self):
        raise PermissionDenied()
    effective = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not actor_is_admin and set(effective) - SELF_EDITABLE:
        raise PermissionDenied()
    if actor_is_admin and is_self:
        if effective.get("is_admin") is False:
            raise InvalidArgument("An administrator cannot remove their own administrator right.")
        if effective.get("status") == INACTIVE:
            raise InvalidArgument("An administrator cannot deactivate their own account.")
    return effective


def forget_identities(ctx: "ServiceContext") -> None:
    """Drop this process's cached identities so a change of rights or status applies at once."""
    if ctx.authenticator is not None:
        ctx.authenticator.forget()


# --- creation --------------------------------------------------------------------------------
async def new_user(*, email: str, password: str, name: str, organisation: str = "", country: str = "",
                   orcid: str = "", usercreationreason: str = "", is_admin: bool = False,
                   status: int = ACTIVE) -> User:
    """A checked, not yet stored account (the password hashed)."""
    fields = clean_changes({"email": email, "name": name, "organisation": organisation, "country": country,
                            "orcid": orcid, "usercreationreason": usercreationreason, "status": status})
    check_password(password)
    now = utcnow()
    return User(**fields, password_hash=await passwords.hash_password_async(password), is_admin=is_admin,
                usercreationdate=now, status_date=now)


async def add_user(s: AsyncSession, bus: "EventBus", *, user: User, actor_id: int | None) -> User:
    """Insert ``user`` and its event in the caller's transaction; Conflict when the e-mail is taken."""
    if await store.user_by_email(s, email=user.email) is not None:
        raise Conflict("A user with this e-mail already exists.")
    s.add(user)
    await s.flush()
    bus.emit(s, events.USER_CREATED, events.user_event(user, actor_id=actor_id))
    return user


async def create_user(ctx: "ServiceContext", *, actor: Principal, **fields) -> User:
    actor.require_admin()
    user = await new_user(**fields)
    try:
        async with ctx.db.transaction() as s:
            return await add_user(s, ctx.bus, user=user, actor_id=actor.user_id)
    except IntegrityError:  # the same e-mail inserted concurrently
        raise Conflict("A user with this e-mail already exists.") from None


async def bootstrap_admin(ctx: "ServiceContext") -> None:
    """Create the application administrator ``COPEPOD_ADMIN_EMAIL`` when it does not exist; with
    no ``COPEPOD_ADMIN_PASSWORD`` a password is generated and logged once. Nothing happens when
    the account exists, so restarts never change it."""
    settings = ctx.settings
    email = check_email(settings.admin_email)
    async with ctx.db.session() as s:
        if await store.user_by_email(s, email=email) is not None:
            return
    generated = not settings.admin_password
    password = settings.admin_password or secrets.token_urlsafe(12)
    user = await new_user(email=email, password=password, name=settings.admin_name or email, is_admin=True)
    try:
        async with ctx.db.transaction() as s:
            await add_user(s, ctx.bus, user=user, actor_id=None)
    except (Conflict, IntegrityError):  # another replica created it first
        return
    if generated:
        log.warning("%s: administrator %s, password %s", ADMIN_MARKER, email, password)
    else:
        log.warning("%s: administrator %s, password from COPEPOD_ADMIN_PASSWORD", ADMIN_MARKER, email)


# --- reading ---------------------------------------------------------------------------------
async def get_user(ctx: "ServiceContext", *, actor: Principal, user_id: int) -> tuple[User, bool]:
    """The account and whether the caller may see all of it (else: id, e-mail, name, organisation)."""
    user_id = user_id or actor.require_user()
    async with ctx.db.session() as s:
        user = await store.user_by_id(s, user_id=user_id)
    if user is None:
        raise NotFound()
    return user, privileged(actor) or actor.user_id == user_id


async def list_users(ctx: "ServiceContext", *, actor: Principal, ids: Iterable[int] = (),
                     emails: Iterable[str] = ()) -> list[User]:
    if actor.service is None:
        actor.require_admin()
    ids, emails = check_batch(ids, what="ids"), check_batch(emails, what="e-mails")
    async with ctx.db.session() as s:
        if not ids and not emails:
            return await store.all_users(s)
        found = {u.id: u for u in await store.users_by_ids(s, ids=ids)}
        found.update({u.id: u for u in (await store.users_by_emails(
            s, emails=[normalise_email(e) for e in emails])).values()})
    return [found[k] for k in sorted(found)]


async def search_users(ctx: "ServiceContext", *, actor: Principal, by_name: str) -> list[User]:
    if actor.service is None:
        actor.require_user()
    pattern = like_pattern(by_name[:NAME_MAX])
    if pattern is None:
        return []
    async with ctx.db.session() as s:
        return await store.users_named_like(s, pattern=pattern, limit=SEARCH_LIMIT)


MAX_REFS = 10_000


async def resolve_user_refs(ctx: "ServiceContext", *, actor: Principal, refs: Sequence[tuple[str, str]]) -> list[int]:
    """Each (name, email) as a user id: by e-mail when given, else by name; 0 unknown, -1 a
    name several users share."""
    if actor.service is None:
        actor.require_admin()
    if len(refs) > MAX_REFS:
        raise InvalidArgument(f"At most {MAX_REFS} users per call.")
    async with ctx.db.session() as s:
        by_email = await store.users_by_emails(s, emails=[normalise_email(e) for _, e in refs if e])
        by_name = await store.user_ids_by_names(s, names=[n for n, e in refs if n and not e])
    out = []
    for name, email in refs:
        if email:
            user = by_email.get(normalise_email(email))
            out.append(user.id if user else 0)
        else:
            ids = by_name.get(name.lower(), [])
            out.append(ids[0] if len(ids) == 1 else (-1 if ids else 0))
    return out


async def resolve_emails(s: AsyncSession, *, emails: Iterable[str]) -> list[User]:
    """The accounts of ``emails`` (case-insensitive), in order and once each; InvalidArgument
    listing every e-mail without an account."""
    wanted = unique(normalise_email(e) for e in check_batch(emails, what="e-mails"))
    found = await store.users_by_emails(s, emails=wanted)
    missing = [e for e in wanted if e not in found]
    if missing:
        raise InvalidArgument("Unknown user e-mail(s): " + ", ".join(missing) + ".")
    return [found[e] for e in wanted]


# --- changes ---------------------------------------------------------------------------------
def _emit_status(s: AsyncSession, bus: "EventBus", user: User, actor_id: int | None) -> None:
    subject = events.USER_ACTIVATED if user.active else events.USER_DEACTIVATED
    bus.emit(s, subject, events.user_event(user, actor_id=actor_id, changed=("status",)))


async def update_user(ctx: "ServiceContext", *, actor: Principal, user_id: int, changes: Mapping[str, object],
                      password: str | None = None) -> None:
    caller = actor.require_user()
    user_id = user_id or caller
    cleaned = clean_changes(changes)
    new_hash = None
    if password:
        new_hash = await passwords.hash_password_async(check_password(password))
    try:
        async with ctx.db.transaction() as s:
            user = await store.user_by_id(s, user_id=user_id)
            if user is None:
                raise NotFound() if actor.is_admin else PermissionDenied()
            effective = allowed_changes(actor_is_admin=actor.is_admin, is_self=caller == user_id, current=user,
                                        changes=cleaned)
            if "email" in effective and await store.user_by_email(s, email=effective["email"]) is not None:
                raise Conflict("A user with this e-mail already exists.")
            if not effective and new_hash is None:
                return
            for field, value in effective.items():
                setattr(user, field, value)
            if "status" in effective:
                user.status_date = utcnow()
            changed = set(effective)
            if new_hash is not None:
                user.password_hash = new_hash
                changed.add("password")
            s.add(user)
            ctx.bus.emit(s, events.USER_UPDATED, events.user_event(user, actor_id=caller, changed=changed))
            if "status" in effective:
                _emit_status(s, ctx.bus, user, caller)
    except IntegrityError:
        raise Conflict("A user with this e-mail already exists.") from None
    forget_identities(ctx)


async def set_active(ctx: "ServiceContext", *, actor: Principal, user_id: int, active: bool, reason: str = "") -> None:
    actor.require_admin()
    reason = clean_text(reason, field="reason", max_length=UPDATABLE["status_admin_comment"])
    if user_id == actor.user_id and not active:
        raise InvalidArgument("An administrator cannot deactivate their own account.")
    async with ctx.db.transaction() as s:
        user = await store.user_by_id(s, user_id=user_id)
        if user is None:
            raise NotFound()
        status = ACTIVE if active else INACTIVE
        if user.status == status and not reason:
            return
        changed_status = user.status != status
        if changed_status:
            user.status, user.status_date = status, utcnow()
        if reason:
            user.status_admin_comment = reason
        s.add(user)
        if changed_status:
            _emit_status(s, ctx.bus, user, actor.user_id)
        else:
            ctx.bus.emit(s, events.USER_UPDATED, events.user_event(user, actor_id=actor.user_id,
                                                                  changed=("status_admin_comment",)))
    forget_identities(ctx)

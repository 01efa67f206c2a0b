"""The event bus: a transactional outbox, a relay to NATS JetStream, and durable idempotent
consumers.

* ``emit(session, subject, message)`` writes an outbox row in the caller's transaction, so an
  event exists exactly when its change was committed.
* The relay publishes pending rows in order (CloudEvents binary headers, protobuf body,
  ``Nats-Msg-Id`` = ``ce-id`` for JetStream de-duplication) and marks them sent. While NATS is
  unreachable rows wait; they go out once it is back.
* Consumers are durable pull consumers with explicit ack. The id of every processed event is
  recorded in the same transaction as the handler's effect, so a redelivered event is skipped.

Subjects are ``copepod.<domain>.<entity>.<verb>``; each domain has one stream
(``COPEPOD_<DOMAIN>`` on ``copepod.<domain>.>``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Awaitable, Callable, Sequence

import sqlalchemy as sa
from google.protobuf.message import Message
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core import telemetry
from services.core.db import SessionFactory

log = logging.getLogger(__name__)

CE_SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/protobuf"


def utcnow() -> datetime:
    """Aware UTC time; every timestamp column is ``DateTime(timezone=True)``."""
    return datetime.now(timezone.utc)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"

    seq: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    subject: str = Field(max_length=255)
    payload: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    headers: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_event"

    consumer: str = Field(primary_key=True, max_length=120)
    event_id: str = Field(primary_key=True, max_length=36)
    processed_at: datetime = Field(default_factory=utcnow)


def create_bus_tables(op) -> None:
    """For a service's first Alembic revision: the outbox and the processed-event ledger."""
    op.create_table(
        "outbox_event",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_event_sent_at", "outbox_event", ["sent_at"])
    op.create_table(
        "processed_event",
        sa.Column("consumer", sa.String(120), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )


def stream_name(domain: str) -> str:
    return f"COPEPOD_{domain.upper()}"


def domain_of(subject: str) -> str:
    parts = subject.split(".")
    if len(parts) < 4 or parts[0] != "copepod":
        raise ValueError(f"subject {subject!r} is not copepod.<domain>.<entity>.<verb>")
    return parts[1]


@dataclass(frozen=True)
class Event:
    """A received event: CloudEvents attributes plus the protobuf body."""

    id: str
    type: str
    source: str
    time: str
    subject: str
    data: bytes
    headers: dict[str, str]

    def parse(self, message_cls: type[Message]) -> Message:
        msg = message_cls()
        msg.ParseFromString(self.data)
        return msg


Handler = Callable[[AsyncSession, Event, Message], Awaitable[None]]
ListenerHandler = Callable[[Event, Message], Awaitable[None] | None]


@dataclass(frozen=True)
class Subscription:
    """A durable consumer: ``name`` is unique within the consuming service."""

    subject: str
    name: str
    message: type[Message]
    handler: Handler
    max_deliver: int = 20


@dataclass(frozen=True)
class Listener:
    """A live listener: every process receives every event as it is published, with no replay
    and no ledger. For in-memory caches that events invalidate; never for durable effects."""

    subject: str
    message: type[Message]
    handler: ListenerHandler


@dataclass
class EventBus:
    service: str
    nats_url: str
    sessions: SessionFactory
    poll_seconds: float = 0.5
    subscriptions: list[Subscription] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    # Called after a reconnection to NATS, when live listeners may have missed events.
    on_reconnect: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._nc = None
        self._js = None
        self._connected = asyncio.Event()
        self._stopping = False
        self.sessions.after_commit_hooks.append(self.notify)

    # --- writing -----------------------------------------------------------------------------
    def emit(self, session: AsyncSession, subject: str, message: Message) -> str:
        """Stage an event in the caller's transaction; returns its id."""
        values = self._outbox_values(subject, message)
        session.add(OutboxEvent(**values))
        return values["event_id"]

    async def emit_many(self, session: AsyncSession, subject: str, messages: Sequence[Message]) -> list[str]:
        """Stage many events of one subject in the caller's transaction with one bulk INSERT (for
        operations on thousands of rows); returns their ids."""
        rows = [self._outbox_values(subject, m) for m in messages]
        if rows:
            await session.execute(sa.insert(OutboxEvent.__table__), rows)
        return [r["event_id"] for r in rows]

    def _outbox_values(self, subject: str, message: Message) -> dict:
        domain_of(subject)
        event_id = str(uuid.uuid4())
        now = datetime.now(timezone.utc)
        headers = {
            "ce-specversion": CE_SPEC_VERSION,
            "ce-id": event_id,
            "ce-type": subject,
            "ce-source": f"/copepod/{self.service}",
            "ce-time": now.isoformat().replace("+00:00", "Z"),
            "content-type": CONTENT_TYPE,
        }
        telemetry.inject_headers(headers)
        return {"event_id": event_id, "subject": subject, "payload": message.SerializeToString(),
                "headers": json.dumps(headers), "created_at": now}

    def notify(self) -> None:
        self._wake.set()

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._connect_loop(), name=f"{self.service}-nats-connect"))
        self._tasks.append(asyncio.create_task(self._relay_loop(), name=f"{self.service}-outbox-relay"))
        for sub in self.subscriptions:
            self._tasks.append(asyncio.create_task(self._consume_loop(sub), name=f"{self.service}-{sub.name}"))

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._nc is not None and not self._nc.is_closed:
            try:
                await asyncio.wait_for(self._nc.close(), 2)
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass

    @property
    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    async def _connect_loop(self) -> None:
        import nats

        delay = 0.2
        while not self._stopping:
            try:
                self._nc = await nats.connect(
                    self.nats_url,
                    name=f"copepod-{self.service}",
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    error_cb=self._on_error,
                    reconnected_cb=self._on_reconnected,
                )
                self._js = self._nc.jetstream(timeout=5)
                await self._ensure_streams()
                for listener in self.listeners:
                    await self._nc.subscribe(listener.subject, cb=self._listener_callback(listener))
                self._connected.set()
                log.info("connected to NATS at %s", self.nats_url)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep trying; the outbox keeps events
                log.warning("NATS not reachable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _on_error(self, exc: Exception) -> None:
        log.debug("nats: %s", exc)

    async def _on_reconnected(self) -> None:
        for hook in self.on_reconnect:
            hook()

    def _listener_callback(self, listener: Listener):
        async def deliver(msg) -> None:
            headers = dict(msg.headers or {})
            event = Event(id=headers.get("ce-id", ""), type=headers.get("ce-type", msg.subject),
                          source=headers.get("ce-source", ""), time=headers.get("ce-time", ""),
                          subject=msg.subject, data=msg.data, headers=headers)
            try:
                result = listener.handler(event, event.parse(listener.message))
                if result is not None:
                    await result
            except Exception:  # noqa: BLE001 - a listener must not stop the others
                log.exception("listener for %s failed on event %s", listener.subject, event.id)
        return deliver

    async def _ensure_streams(self) -> None:
        from nats.js.api import StreamConfig, StorageType

        domains = {self.service} | {domain_of(s.subject) for s in self.subscriptions}
        for domain in sorted(domains):
            cfg = StreamConfig(name=stream_name(domain), subjects=[f"copepod.{domain}.>"],
                               storage=StorageType.FILE, duplicate_window=120.0)
            try:
                await self._js.add_stream(cfg)
            except Exception:  # noqa: BLE001 - exists with another config: keep it
                await self._js.stream_info(cfg.name)

    # --- relay -------------------------------------------------------------------------------
    async def _relay_loop(self) -> None:
        await self._connected.wait()
        backoff = 0.2
        while not self._stopping:
            try:
                sent = await self._relay_batch()
                backoff = 0.2
                if sent:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - NATS down or DB busy: retry later
                log.warning("outbox relay paused: %s", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except asyncio.TimeoutError:
                pass

    async def _relay_batch(self, limit: int = 200, window: int = 50) -> int:
        """Publish the oldest unsent events, ``window`` at a time in flight (their acks come back
        together instead of one round trip each), in outbox order; mark those acknowledged."""
        async with self.sessions.session() as s:
            rows = (await s.exec(
                select(OutboxEvent).where(OutboxEvent.sent_at.is_(None)).order_by(OutboxEvent.seq).limit(limit)
            )).all()
        if not rows:
            return 0
        tracer = telemetry.tracer("copepod.bus")

        async def publish(row: OutboxEvent) -> int:
            headers = json.loads(row.headers)
            parent = telemetry.extract_context(headers)
            with tracer.start_as_current_span(f"{row.subject} publish", context=parent,
                                              kind=SpanKind.PRODUCER) as span:
                span.set_attribute("messaging.system", "nats")
                span.set_attribute("messaging.destination.name", row.subject)
                span.set_attribute("messaging.message.id", row.event_id)
                out = {k: v for k, v in headers.items() if k not in ("traceparent", "tracestate")}
                telemetry.inject_headers(out)
                out["Nats-Msg-Id"] = row.event_id
                await self._js.publish(row.subject, row.payload, headers=out)
            return row.seq

        done: list[int] = []
        # The first event goes alone: a connection's first request sets up its reply subscription
        # with an await, and publishes started meanwhile could overtake it. After that, each
        # publish is written to the socket before it waits, so a window keeps the outbox order.
        windows = [rows[:1]] + [rows[i:i + window] for i in range(1, len(rows), window)]
        try:
            for part in windows:
                answers = await asyncio.gather(*(publish(r) for r in part), return_exceptions=True)
                done += [a for a in answers if isinstance(a, int)]
                failed = next((a for a in answers if isinstance(a, BaseException)), None)
                if failed is not None:
                    raise failed
        finally:
            if done:
                async with self.sessions.transaction() as s:
                    await s.exec(sa.update(OutboxEvent).where(OutboxEvent.seq.in_(done)).values(sent_at=utcnow()))
        return len(done)

    # --- consumers ---------------------------------------------------------------------------
    async def _consume_loop(self, sub: Subscription) -> None:
        from nats.errors import TimeoutError as NatsTimeout
        from nats.js.api import AckPolicy, ConsumerConfig

        await self._connected.wait()
        durable = f"{self.service}-{sub.name}"
        psub = None
        while not self._stopping:
            try:
                if psub is None:
                    psub = await self._js.pull_subscribe(
                        sub.subject, durable=durable, stream=stream_name(domain_of(sub.subject)),
                        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_deliver=sub.max_deliver,
                                              ack_wait=30.0),
                    )
                try:
                    msgs = await psub.fetch(batch=50, timeout=1.0)
                except NatsTimeout:
                    continue
                for msg in msgs:
                    await self._handle(sub, durable, msg)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - NATS restarts: resubscribe
                log.warning("consumer %s paused: %s", durable, exc)
                psub = None
                await asyncio.sleep(1.0)

    async def _handle(self, sub: Subscription, durable: str, msg) -> None:
        headers = dict(msg.headers or {})
        event = Event(id=headers.get("ce-id", ""), type=headers.get("ce-type", msg.subject),
                      source=headers.get("ce-source", ""), time=headers.get("ce-time", ""),
                      subject=msg.subject, data=msg.data, headers=headers)
        tracer = telemetry.tracer("copepod.bus")
        with tracer.start_as_current_span(f"{msg.subject} process", context=telemetry.extract_context(headers),
                                          kind=SpanKind.CONSUMER) as span:
            span.set_attribute("messaging.system", "nats")
            span.set_attribute("messaging.destination.name", msg.subject)
            span.set_attribute("messaging.message.id", event.id)
            span.set_attribute("messaging.consumer.group.name", durable)
            try:
                async with self.sessions.transaction() as s:
                    seen = await s.get(ProcessedEvent, (durable, event.id))
                    if seen is None:
                        await sub.handler(s, event, event.parse(sub.message))
                        s.add(ProcessedEvent(consumer=durable, event_id=event.id))
                    else:
                        span.set_attribute("copepod.duplicate", True)
                await msg.ack()
            except Exception as exc:  # noqa: BLE001 - redelivered later, up to max_deliver
                span.record_exception(exc)
                span.set_status(trace.Status(trace.StatusCode.ERROR))
                log.exception("handler %s failed for event %s", durable, event.id)
                await msg.nak(delay=1.0)

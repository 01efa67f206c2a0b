"""A real external subscriber: reads a domain's JetStream stream the way a third party would."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

TRACEPARENT = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


class EventTap:
    """An ordered, ephemeral consumer on ``stream`` from its first message."""

    def __init__(self, nats_url: str, stream: str, subjects: str) -> None:
        self.nats_url = nats_url
        self.stream = stream
        self.subjects = subjects
        self.received: list[Msg] = []
        self._nc = None
        self._sub = None

    async def __aenter__(self) -> "EventTap":
        self._nc = await nats.connect(self.nats_url, connect_timeout=5)
        js = self._nc.jetstream()
        await self._wait_for_stream(js, timeout=15)
        self._sub = await js.subscribe(self.subjects, stream=self.stream, ordered_consumer=True,
                                       deliver_policy=DeliverPolicy.ALL)
        return self

    async def _wait_for_stream(self, js, timeout: float) -> None:
        """The owning service creates its stream once connected to NATS, maybe after it reports SERVING."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                await js.stream_info(self.stream)
                return
            except NotFoundError:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.1)

    async def __aexit__(self, *exc) -> None:
        await self._nc.close()

    async def collect(self, until: Callable[[list[Msg]], bool], timeout: float = 15.0) -> list[Msg]:
        """Receive until ``until(received)`` holds or ``timeout`` passes; return everything received."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not until(self.received) and loop.time() < deadline:
            try:
                self.received.append(await self._sub.next_msg(timeout=min(0.5, max(0.01, deadline - loop.time()))))
            except NatsTimeout:
                pass
        return self.received


def assert_cloudevent(msg: Msg, *, source: str) -> None:
    headers = msg.headers or {}
    assert headers.get("ce-specversion") == "1.0", headers
    uuid.UUID(headers["ce-id"])
    assert headers["ce-type"] == msg.subject
    assert headers["ce-source"] == source
    sent = datetime.fromisoformat(headers["ce-time"].replace("Z", "+00:00"))
    assert sent.tzinfo is not None
    assert abs(datetime.now(timezone.utc) - sent) < timedelta(minutes=10), headers["ce-time"]
    assert headers["content-type"] == "application/protobuf"
    assert headers["Nats-Msg-Id"] == headers["ce-id"]
    assert TRACEPARENT.fullmatch(headers["traceparent"]), headers["traceparent"]

"""The sliding-window login limiter."""

from services.users.domain.rate_limit import LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock, **kw) -> LoginLimiter:
    return LoginLimiter(max_failures=kw.pop("max_failures", 3), window_seconds=kw.pop("window", 60), clock=clock, **kw)


def test_blocks_after_max_failures_within_the_window():
    clock = Clock()
    lim = limiter(clock)
    for _ in range(2):
        lim.record_failure("account:a", "client:1")
        assert not lim.blocked("account:a", "client:1")
    lim.record_failure("account:a", "client:1")
    assert lim.blocked("account:a")
    assert lim.blocked("account:b", "client:1")  # same address, other account
    assert not lim.blocked("account:b", "client:2")


def test_the_window_slides():
    clock = Clock()
    lim = limiter(clock)
    lim.record_failure("k")
    clock.now += 30
    lim.record_failure("k")
    lim.record_failure("k")
    assert lim.blocked("k")
    clock.now += 31  # the first failure is now older than the window
    assert not lim.blocked("k")
    lim.record_failure("k")
    assert lim.blocked("k")


def test_reset_clears_one_key():
    clock = Clock()
    lim = limiter(clock)
    for _ in range(3):
        lim.record_failure("account:a", "client:1")
    lim.reset("account:a")
    assert not lim.blocked("account:a")
    assert lim.blocked("client:1")


def test_zero_disables_the_limit():
    lim = limiter(Clock(), max_failures=0)
    for _ in range(10):
        lim.record_failure("k")
    assert not lim.blocked("k")


def test_memory_stays_bounded_under_many_keys():
    clock = Clock()
    lim = limiter(clock, max_keys=100)
    for i in range(1000):
        lim.record_failure(f"client:{i}")
    assert len(lim._failures) <= 100
    assert lim._failures  # recent keys are kept

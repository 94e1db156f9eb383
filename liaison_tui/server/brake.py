"""A brake on guessing tokens: repeated authentication failures from one address are slowed down, then
refused with 429 for a while (fail2ban's shape, in memory).

Tokens carry 256 random bits, so guessing one is hopeless; the brake keeps a guesser from costing the
service work and from filling the log. Addresses are kept only in memory and logged as a short salted hash.
Behind a reverse proxy, run uvicorn with ``--proxy-headers`` so that the address is the client's.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class Brake:
    def __init__(
        self,
        *,
        free: int = 5,
        block_after: int = 20,
        window_s: float = 600.0,
        block_s: float = 600.0,
        max_delay_s: float = 4.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.free = free
        self.block_after = block_after
        self.window_s = window_s
        self.block_s = block_s
        self.max_delay_s = max_delay_s
        self._now = clock or time.monotonic
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()
        self._salt = secrets.token_bytes(16)

    def label(self, address: str) -> str:
        """How the log names an address: a salted hash, stable for this process only."""
        return hashlib.blake2s(address.encode(), key=self._salt, digest_size=4).hexdigest()

    def blocked_for(self, address: str) -> float:
        """Seconds this address is still refused (0: not blocked)."""
        with self._lock:
            record = self._records.get(address)
            if record is None:
                return 0.0
            return max(0.0, record.blocked_until - self._now())

    def failed(self, address: str) -> tuple[float, int, bool]:
        """Count a failure: ``(delay to wait before answering, failures in the window, now blocked)``."""
        now = self._now()
        with self._lock:
            record = self._records.setdefault(address, _Record())
            record.failures.append(now)
            while record.failures and record.failures[0] < now - self.window_s:
                record.failures.popleft()
            count = len(record.failures)
            blocked = count >= self.block_after
            if blocked:
                record.blocked_until = now + self.block_s
                record.failures.clear()
            if len(self._records) > 100_000:  # bounded memory under a spray of addresses
                self._forget(now)
        extra = count - self.free
        delay = 0.0 if extra <= 0 or blocked else min(self.max_delay_s, 0.25 * 2 ** (extra - 1))
        return delay, count, blocked

    def succeeded(self, address: str) -> None:
        with self._lock:
            record = self._records.get(address)
            if record is not None and record.blocked_until <= self._now():
                del self._records[address]

    def _forget(self, now: float) -> None:
        stale = [
            a
            for a, r in self._records.items()
            if r.blocked_until <= now and (not r.failures or r.failures[-1] < now - self.window_s)
        ]
        for address in stale:
            del self._records[address]

"""When to try again after a failed sync: exponential backoff with jitter, reset by a success.

The TUI's timer asks :meth:`Backoff.failure` for the next delay, so a queue never waits for the next local
write to be retried (a bug other sync products shipped).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 5.0
    cap: float = 600.0
    factor: float = 2.0
    jitter: float = 0.2
    attempts: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def failure(self) -> float:
        """Seconds to wait before the next attempt."""
        delay = min(self.cap, self.base * self.factor**self.attempts)
        self.attempts += 1
        return delay * (1 + self.jitter * (2 * self.rng.random() - 1))

    def success(self) -> None:
        self.attempts = 0

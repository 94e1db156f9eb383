"""Hybrid logical clocks (Kulkarni et al. 2014), encoded as fixed-width text that sorts in clock order.

``<wall ms, 13 digits>-<counter, 4 hex>-<device id>``. Every stamp that enters a store is parsed strictly
(:func:`parse`): exactly that shape, lower-case hex, a device id of 1-32 lower-case letters and digits. For
such canonical stamps comparing the text compares wall time, then the counter, then the device id (fixed
widths, same alphabet), which breaks ties deterministically on every replica; a stamp in any other shape
(``99-0000-x``, ``1_795_975_165_065-…``) would sort wrongly as text, and is refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 0xFFFF
# A remote stamp further ahead of our wall clock than this is clamped (a laptop dated 2099 must not win
# every last-writer-wins comparison for ever).
MAX_DRIFT_MS = 5 * 60 * 1000
DEVICE_ID = re.compile(r"[0-9a-z]{1,32}")
_STAMP = re.compile(r"([0-9]{13})-([0-9a-f]{4})-([0-9a-z]{1,32})")


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04x}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Stamp:
        """Parse a canonical stamp; anything else raises ValueError."""
        found = _STAMP.fullmatch(text) if isinstance(text, str) else None
        if found is None:
            raise ValueError("not a clock stamp")
        wall, counter, device = found.groups()
        return cls(int(wall), int(counter, 16), device)


def is_stamp(value: object) -> bool:
    return isinstance(value, str) and _STAMP.fullmatch(value) is not None


class Clock:
    """A device's clock. ``now`` gives the next local stamp; ``observe`` merges a remote one."""

    def __init__(
        self,
        device: str,
        last: str | None = None,
        wall: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        if not DEVICE_ID.fullmatch(device):
            raise ValueError("device id: 1-32 lower-case letters and digits")
        self.device = device
        self._wall = wall
        self._last = Stamp.decode(last) if last else Stamp(0, 0, device)

    @property
    def last(self) -> str:
        return self._last.encode()

    def now(self) -> str:
        wall = self._wall()
        last = self._last
        if wall > last.wall_ms:
            stamp = Stamp(wall, 0, self.device)
        elif last.counter < MAX_COUNTER:
            stamp = Stamp(last.wall_ms, last.counter + 1, self.device)
        else:  # counter exhausted within one millisecond: borrow the next millisecond
            stamp = Stamp(last.wall_ms + 1, 0, self.device)
        self._last = stamp
        return stamp.encode()

    def now_many(self, count: int) -> list[str]:
        """``count`` consecutive stamps at once (bulk loads): same result as calling ``now`` repeatedly."""
        return [self.now() for _ in range(count)] if count < 64 else self._now_many(count)

    def _now_many(self, count: int) -> list[str]:
        first = Stamp.decode(self.now())
        wall, counter, device = first.wall_ms, first.counter, self.device
        out = [first.encode()]
        for _ in range(count - 1):
            if counter < MAX_COUNTER:
                counter += 1
            else:
                wall, counter = wall + 1, 0
            out.append(f"{wall:013d}-{counter:04x}-{device}")
        self._last = Stamp(wall, counter, device)
        return out

    def observe(self, remote: str) -> bool:
        """Advance past a remote stamp. Returns False (and ignores it) when it is implausibly far ahead."""
        other = Stamp.decode(remote)
        if other.wall_ms > self._wall() + MAX_DRIFT_MS:
            return False
        if (other.wall_ms, other.counter) > (self._last.wall_ms, self._last.counter):
            self._last = Stamp(other.wall_ms, other.counter, self.device)
        return True


def clamp(stamp: str, now_ms: int, max_drift_ms: int = MAX_DRIFT_MS) -> str:
    """A stamp from a clock that runs ahead, pulled back to ``now + drift`` (keeping its device for ties)."""
    s = Stamp.decode(stamp)
    limit = now_ms + max_drift_ms
    if s.wall_ms <= limit:
        return stamp
    return Stamp(limit, s.counter, s.device).encode()

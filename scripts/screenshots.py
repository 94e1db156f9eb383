"""Regenerate the README screenshots: SVGs of the main screens, in both languages, into ``screenshots/``.

    /work/venv/bin/python scripts/screenshots.py [--contacts 3000] [--out screenshots]

A deterministic demo store (fixed seed, fixed "now", fixed device code) and a frozen clock make the images
reproducible, so a diff of the SVGs shows real changes only."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any

from liaison_tui.domain.i18n import set_lang
from liaison_tui.tui.testing import build_store, make_app, settle

SHOTS: list[tuple[str, tuple[str, ...]]] = [
    ("home", ()),
    ("lookup", ("slash", "z", "w")),
    ("contact", ("slash", "z", "w", "enter")),
    ("case", ("2", "enter")),
    ("cases", ("2",)),
    ("agenda", ("3",)),
    ("org", ("slash", "z", "w", "enter", "o")),
    ("demands", ("5",)),
    ("demand", ("5", "enter")),
    ("event", ("6", "down", "down", "enter")),
    ("checkin", ("6", "down", "enter", "c", "w", "a", "n", "g")),
    ("orgs", ("O",)),
    ("talent", ("slash", "z", "w", "enter", "m")),
    ("duplicates", ("D",)),
    ("reports", ("4",)),
]
SIZES = {"120x36": (120, 36), "80x24": (80, 24)}
NARROW_SHOTS = {"home", "contact", "cases"}


async def shoot(
    db: Path, out: Path, name: str, keys: tuple[str, ...], lang: str, size: tuple[int, int]
) -> Path:
    app: Any = make_app(db, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)
        filename = f"{name}-{lang}-{size[0]}x{size[1]}.svg"
        app.save_screenshot(filename, str(out))
    set_lang("en")
    return out / filename


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = build_store(Path(tmp) / "shots.db", args.contacts)
        for lang in ("zh", "en"):
            for name, keys in SHOTS:
                for label, size in SIZES.items():
                    if label == "80x24" and name not in NARROW_SHOTS:
                        continue
                    db = Path(tmp) / f"{name}-{lang}-{label}.db"
                    db.write_bytes(source.read_bytes())
                    print(await shoot(db, args.out, name, keys, lang, size))


if __name__ == "__main__":
    asyncio.run(main())

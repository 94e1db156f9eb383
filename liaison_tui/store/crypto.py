"""Encryption at rest: SQLCipher keyed with a key derived from the user's passphrase.

The key is derived with argon2id (memory-hard: 64 MiB, 3 passes, RFC 9106's second recommended setting)
from the passphrase and a random 16-byte salt. SQLCipher keeps that salt in the first 16 bytes of the file,
unencrypted, so the file carries everything needed to derive its key again and nothing else: the header
``SQLite format 3`` is gone and every page, the WAL included, is AES-256 encrypted with an HMAC.

A file is taken to be *encrypted* when it does not start with SQLite's plain header and its size is a whole
number of pages (an encrypted file is made of pages; random garbage seldom is).
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..domain.errors import LiaisonError
from ..domain.i18n import register
from . import engine

register(
    {
        "store.err.locked": (
            "{path} is encrypted, or is not a Liaison database: if it is encrypted, give its passphrase "
            "(LIAISON_PASSPHRASE, --passphrase-file, or type it when asked).",
            "{path} 已加密，或不是 Liaison 数据库：如已加密，请提供口令（LIAISON_PASSPHRASE、--passphrase-file，或在提示时输入）。",
        ),
        "store.err.passphrase": (
            "Wrong passphrase for {path} (or the file is damaged); nothing was opened.",
            "{path} 的口令不正确（或文件已损坏）；未打开任何数据。",
        ),
        "store.err.no_cipher": (
            "Encrypted stores need SQLCipher (the sqlcipher3 package), which is not installed here.",
            "加密数据库需要 SQLCipher（sqlcipher3 软件包），本机未安装。",
        ),
        "store.err.already_encrypted": ("{path} is already encrypted.", "{path} 已经加密。"),
        "store.err.not_encrypted": ("{path} is not encrypted.", "{path} 未加密。"),
        "store.err.empty_passphrase": (
            "The passphrase must have at least {min} characters.",
            "口令至少需要 {min} 个字符。",
        ),
    }
)

SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSPHRASE = 8
# argon2id parameters of this file format. Fixed: a file's key must be derivable again years later.
ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 1}


def is_encrypted(path: str | Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(len(engine.SQLITE_HEADER))
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return False
    return bool(head) and head != engine.SQLITE_HEADER and size >= 512 and size % 512 == 0


def file_salt(path: str | Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(SALT_BYTES)


@functools.lru_cache(maxsize=16)
def derive_key(passphrase: str, salt: bytes) -> bytes:
    """argon2id(passphrase, salt): ~0.2 s and 64 MiB, on purpose. Cached per process, so reopening the same
    file (a second read connection, the lock screen's check) costs nothing more."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(passphrase.encode("utf-8"), salt, hash_len=KEY_BYTES, type=Type.ID, **ARGON2)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise LiaisonError("store.err.empty_passphrase", min=MIN_PASSPHRASE)


def raw_key(key: bytes, salt: bytes) -> str:
    """SQLCipher's raw-key form: 32 key bytes then the 16-byte salt, so that a new file takes our salt
    (the one the key was derived with) instead of drawing its own."""
    return f"\"x'{key.hex()}{salt.hex()}'\""


def key_for(path: str | Path, passphrase: str) -> str:
    """The PRAGMA key value for an existing encrypted file, or for a new one (fresh salt)."""
    if not engine.CIPHER:
        raise LiaisonError("store.err.no_cipher")
    salt = file_salt(path) if is_encrypted(path) else secrets.token_bytes(SALT_BYTES)
    return raw_key(derive_key(passphrase, salt), salt)


def passphrase_opens(path: str | Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the encrypted store at ``path``: a read-only probe that reads the
    schema (a wrong key fails there, not when keying)."""
    try:
        conn = engine.connect(f"file:{path}?mode=ro", uri=True)
    except engine.Error:
        return False
    try:
        apply_key(conn, key_for(path, passphrase))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (LiaisonError, *engine.Error):
        return False
    finally:
        conn.close()
    return True


# SQLCipher takes a keyed database's settings from process-wide defaults when it is keyed; this lock keeps
# every keying out of the moment :func:`unchecked_pages` changes them.
_KEYING = threading.Lock()


def apply_key(conn: Any, key: str | None) -> None:
    """Key a fresh connection (must be the first statement on it)."""
    if key is not None:
        with _KEYING:
            conn.execute(f"PRAGMA key = {key}")


@contextlib.contextmanager
def unchecked_pages(conn: Any) -> Iterator[None]:
    """Databases keyed (attached) on ``conn`` within the block carry no per-page HMAC: a file whose whole
    checksum the caller has verified already (a starter store) reads without the per-page check, twice as
    fast. No other connection of the process is keyed meanwhile."""
    if not engine.CIPHER:
        yield
        return
    with _KEYING:
        conn.execute("PRAGMA cipher_default_use_hmac = OFF")
        try:
            yield
        finally:
            conn.execute("PRAGMA cipher_default_use_hmac = ON")


def owner_only(path: str | Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist; tighten it if others may read it. SQLite
    gives the -wal and -shm files the mode of the database file."""
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return
    for item in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
        with contextlib.suppress(OSError):
            mode = item.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(item, mode & 0o700)


def overwrite(path: str | Path) -> None:
    """Overwrite a file's bytes with zeros, flush them to disk, then remove it. On SSDs and copy-on-write
    file systems the old blocks may survive elsewhere on the device: full-disk encryption covers that."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return
    with open(p, "r+b") as f:
        zero_fd(f.fileno(), size)
    p.unlink()


def zero_fd(fd: int, size: int) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * (1 << 20)
    left = size
    while left > 0:
        left -= os.write(fd, block[: min(left, len(block))])
    os.fsync(fd)


_session: dict[str, str | None] = {"passphrase": None}


def use_passphrase(passphrase: str | None) -> None:
    """The passphrase of this process's stores, for :meth:`Store.open` calls that do not pass one (set once
    by the CLI from LIAISON_PASSPHRASE / --passphrase-file, or by the terminal app's unlock screen)."""
    _session["passphrase"] = passphrase or None


def session_passphrase() -> str | None:
    return _session["passphrase"]


def connect_file(path: str | Path, *, readonly: bool = False, timeout: float = 10.0) -> Any:
    """A plain connection to a store file on the store's engine, keyed with the session passphrase when
    the file is encrypted (for tools, tests and benchmarks that read a file directly). Never open a store
    with the standard library's sqlite3 in a process that also has it open through this engine: two
    SQLite libraries in one process release each other's POSIX locks."""
    key = None
    if is_encrypted(path):
        phrase = session_passphrase()
        if not phrase:
            raise LiaisonError("store.err.locked", path=str(path))
        key = key_for(path, phrase)
    target = f"file:{path}?mode=ro" if readonly else str(path)
    conn = engine.connect(target, uri=readonly, timeout=timeout)
    apply_key(conn, key)
    return conn


register(
    {
        "store.err.in_use": (
            "{path} is open in another window or process; close Liaison there first.",
            "{path} 正在其他窗口或进程中使用；请先关闭那里的 Liaison。",
        ),
        "store.err.reencrypt_check": (
            "The re-encrypted copy did not check out ({detail}); {path} was left as it was.",
            "重新加密后的副本校验未通过（{detail}）；{path} 保持不变。",
        ),
    }
)


def reencrypt(path: str | Path, new_passphrase: str, *, old_passphrase: str | None = None) -> None:
    """Write ``path`` again, encrypted with a key from ``new_passphrase`` (a fresh salt), all or nothing:
    a plain file becomes encrypted (``liaison db encrypt``), an encrypted one gets a new passphrase
    (``liaison db rekey``). The copy is checked before it replaces the original, whose bytes are then
    overwritten with zeros."""
    if not engine.CIPHER:
        raise LiaisonError("store.err.no_cipher")
    check_passphrase(new_passphrase)
    source = Path(path)
    text = str(source)
    old_key = key_for(source, old_passphrase) if is_encrypted(source) and old_passphrase else None
    if is_encrypted(source) and old_key is None:
        raise LiaisonError("store.err.locked", path=text)
    fresh = Path(f"{text}.reencrypting")
    for leftover in (fresh, Path(f"{fresh}-journal")):
        overwrite(leftover)
    salt = secrets.token_bytes(SALT_BYTES)
    new_key = raw_key(derive_key(new_passphrase, salt), salt)
    conn = engine.connect(text)
    try:
        apply_key(conn, old_key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except engine.DatabaseError as exc:
            raise LiaisonError("store.err.passphrase", path=text) from exc
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise LiaisonError("store.err.in_use", path=text)
        owner_only(fresh)
        with _KEYING:
            conn.execute(f"ATTACH DATABASE ? AS fresh KEY {new_key}", (str(fresh),))
        conn.execute("SELECT sqlcipher_export('fresh')")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute(f"PRAGMA fresh.user_version = {version}")
        counts = _counts(conn, "main")
        conn.execute("DETACH DATABASE fresh")
    finally:
        conn.close()
    check = engine.connect(str(fresh))
    try:
        apply_key(check, new_key)
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok" or _counts(check, "main") != counts:
            raise LiaisonError("store.err.reencrypt_check", path=text, detail=str(verdict)[:80])
        check.execute("PRAGMA journal_mode = WAL")
    except LiaisonError:
        check.close()
        overwrite(fresh)
        raise
    check.close()
    for side in (Path(f"{text}-wal"), Path(f"{text}-shm")):
        overwrite(side)
    fd = os.open(text, os.O_RDWR)
    try:
        size = os.fstat(fd).st_size
        os.replace(fresh, text)  # atomic: the store is the new file from here on
        zero_fd(fd, size)  # then the old bytes (still this open inode) are overwritten
    finally:
        os.close(fd)
    derive_key.cache_clear()


def _counts(conn: Any, schema: str) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {t: int(conn.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0]) for t in tables}

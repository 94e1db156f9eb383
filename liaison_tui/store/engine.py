"""The SQLite engine every store uses.

SQLCipher's build (``sqlcipher3``: SQLite 3.53 with FTS5 and the trigram tokenizer, plus encryption) when it
is installed, which pyproject asks for on Linux; otherwise the standard library's ``sqlite3``, which opens
plain stores only. An unkeyed SQLCipher connection is plain SQLite, so plain stores read and write the same
either way, and one engine serves encrypted and plain stores alike (the same SQL, the same search
behaviour, the same exception classes below).
"""

from __future__ import annotations

from typing import Any

try:
    from sqlcipher3 import dbapi2 as sqlite

    CIPHER = True
except ImportError:  # pragma: no cover - platforms without a sqlcipher3 wheel
    import sqlite3 as sqlite

    CIPHER = False

import sqlite3 as _stdlib

Connection = Any  # sqlcipher3 ships no type stubs; both engines follow the DB-API of sqlite3
# Exception classes of both engines, for ``except``: tools and tests may hand the store's functions a
# connection of the standard library's module.
Error = (sqlite.Error, _stdlib.Error)
DatabaseError = (sqlite.DatabaseError, _stdlib.DatabaseError)
IntegrityError = (sqlite.IntegrityError, _stdlib.IntegrityError)
OperationalError = (sqlite.OperationalError, _stdlib.OperationalError)
complete_statement = sqlite.complete_statement
SQLITE_HEADER = b"SQLite format 3\x00"


def connect(target: str, *, uri: bool = False, timeout: float = 10.0) -> Any:
    """A connection in autocommit mode (the store issues BEGIN/COMMIT itself), usable from any thread
    (the store guards it with its own lock)."""
    conn = sqlite.connect(target, uri=uri, check_same_thread=False, isolation_level=None, timeout=timeout)
    if CIPHER:
        # SQLCipher writes decryption failures (a wrong passphrase) to stderr, across the terminal app's
        # screen; the store reports them itself, in the user's language.
        conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def version() -> str:
    return str(sqlite.sqlite_version)

-- Lookup index (maintained by liaison_tui/store/search.py; keys defined in liaison_tui/domain/search_keys.py).
--
-- One document per live contact, organization and case. Its rowid (seq) is the record's recency in
-- microseconds (newest activity or update), bumped by a few microseconds to stay unique, so "most recently
-- active first" is the index's own order: FTS5 walks doclists by rowid, and ORDER BY rowid DESC LIMIT n
-- stops after n matches instead of scoring every match (ranking by bm25 cost up to 930 ms at 1M).
--
-- Two contentless FTS5 tables hold the normalised keys (nothing is stored twice; rows are removed with
-- FTS5's 'delete' command, given the text re-derived from search_doc.fields):
--   search_words  unicode61 tokens with 1- and 2-character prefix indexes: search-as-you-type from the
--                 first character, whole-word and word-prefix matches, pinyin initials
--   search_grams  trigrams: any substring of 3 or more characters (phone fragments, "@tum.de", given names)
-- The `kind` column ('con', 'org', 'cas') lets a typed search filter inside the index.

CREATE TABLE search_doc (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('contact', 'org', 'case')),
    ref     TEXT NOT NULL,
    fields  TEXT NOT NULL              -- JSON: [[code, display, key, ...], ...] (see search.py)
);
CREATE UNIQUE INDEX search_doc_ref ON search_doc(ref, kind);

CREATE VIRTUAL TABLE search_words USING fts5(
    keys, kind, content = '', tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2'
);

CREATE VIRTUAL TABLE search_grams USING fts5(
    keys, kind, content = '', tokenize = 'trigram', detail = 'full'
);

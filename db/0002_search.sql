-- Lookup index (maintained by liaison_tui/store/search.py; keys defined in liaison_tui/domain/search_keys.py).
--
-- One document per live contact, organization and case. Its rowid (seq) is the record's recency in
-- microseconds (last activity, else last update), bumped by a few microseconds to stay unique, so "most
-- recently active first" is the index's own order: FTS5 walks doclists by rowid, and ORDER BY rowid DESC
-- LIMIT n stops after n matches instead of scoring every match (ranking by bm25 cost up to 930 ms at 1M).
--
-- The FTS5 tables are contentless (nothing stored twice); rows are removed with FTS5's 'delete' command,
-- given the text re-derived from search_doc.fields. (Not columnsize=0: it saves 6 % but a contentless
-- table without it cannot be scanned, which breaks iterdump.)
--   search_names  unicode61 tokens of the keys of name fields (names, pinyin, initials, aliases, organization
--                 names, case numbers), with prefix indexes for 1-5 characters: whole words and word
--                 prefixes (search-as-you-type from the first character, initials) without merging
--                 thousands of terms. A key of several words is also indexed as one glued token
--                 ("zhangǀwei", "jǀmueller"), so "zhang w" or "j.mu" is one token-prefix probe: FTS5
--                 phrases read the positions of every row holding both of two common words (20-40 ms at
--                 1M). Hence detail=column too: no phrase is ever asked. `kind` ('con', 'org', 'cas')
--                 filters by type.
--   search_other  the same for the other keys (e-mails, phones, WeChat ids, organization, title, tags). Two
--                 tables rather than two columns: a column filter still walks the whole doclist of a term
--                 such as "gmail" that is common in the other column (25 ms at 100k).
--   search_grams  trigrams of the keys searched inside (phone fragments, CJK inside organization names).
--                 detail=none: queried as an AND of the query's rarest trigrams, every candidate verified
--                 in Python, which is what keeps it fast (a phrase over common trigrams such as "ang"
--                 reads their whole doclists) and 2x smaller.
-- search_gram_stats holds document frequencies of trigrams estimated from a sample at each rebuild: only
-- used to choose which trigrams to ask for, so when it is stale or empty, lookups are slower, not wrong.

CREATE TABLE search_doc (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('contact', 'org', 'case')),
    ref     TEXT NOT NULL,
    recency INTEGER NOT NULL,          -- µs since the epoch: last activity, else last update
    fields  TEXT NOT NULL              -- JSON, see search.encode_fields
);
CREATE UNIQUE INDEX search_doc_ref ON search_doc(ref, kind);

CREATE VIRTUAL TABLE search_names USING fts5(
    keys, kind, content = '', tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5', detail = 'column'
);

CREATE VIRTUAL TABLE search_other USING fts5(
    keys, kind, content = '', tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5', detail = 'column'
);

CREATE VIRTUAL TABLE search_grams USING fts5(
    keys, content = '', tokenize = 'trigram', detail = 'none'
);

-- Bigger in-memory batches before FTS5 writes a segment: fewer merges during bulk loads.
INSERT INTO search_names (search_names, rank) VALUES ('hashsize', 16777216);
INSERT INTO search_other (search_other, rank) VALUES ('hashsize', 16777216);
INSERT INTO search_grams (search_grams, rank) VALUES ('hashsize', 16777216);

CREATE TABLE search_gram_stats (
    gram TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;

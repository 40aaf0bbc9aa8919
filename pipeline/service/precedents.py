"""Precedents: a full-text index over the archive a batch or inbox has processed.

One row per published paper. A new paper's draft cites the earlier motions, answers and
decisions on the same subject (title weighs most, then att-satser, then body), and
`attsats sok` searches it. Two backends behind one small interface (`Archive`):

- embedded (default): a SQLite FTS5 table in `OUT/.attsats/arkiv.sqlite`, beside the
  ledger, ranked by BM25. The tokenizer keeps å, ä and ö (`remove_diacritics 0`): "får"
  and "far" are other words.
- scale-out: with `ATTSATS_DATABASE_URL=postgresql://...` one PostgreSQL table shared by
  every output folder (a row is keyed by the folder's absolute path), searched with
  `to_tsvector('swedish', ...)` and `websearch_to_tsquery('swedish', ...)`, so Swedish
  inflections meet ("gårdar", "gården"), ranked by `ts_rank`. The driver is asyncpg
  (Prefect's own PostgreSQL driver).

Everything stored is masked (`pipeline.privacy.mask`): no personnummer in the index.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pipeline.document import Document
from pipeline.privacy import mask
from pipeline.service.ledger import write_ahead

ARCHIVE_FILE = "arkiv.sqlite"
# The scale-out setting: a PostgreSQL URL puts every archive in that database.
DATABASE_URL = "ATTSATS_DATABASE_URL"
ANALYSIS = "analysis.json"  # pipeline.outputs.folders.ANALYSIS
STATE_DIR = ".attsats"  # the same folder as the ledger (pipeline.service.batch.state_dir)
CITED = 3  # precedents a draft cites
# Papers that are not precedents: agendas list many subjects, policies are not cases.
NOT_PRECEDENTS = ("kallelse", "styrdokument", "okand")
DECISION_DATES = ("beslut", "sammantrade")
# A draft prefers decided papers among those nearly as close as the best one: what the
# kommun decided on the subject says more than another motion asking for it.
NEAR_BEST = 0.5
WORD = re.compile(r"\w{4,}")  # shorter words carry little subject
MAX_TERMS = 40
# In an archive of some size, a word in more than this share of the papers is the genre
# ("motion", "kommun", "föreslår"), not a subject: it finds everything, so it is dropped.
COMMON_SHARE = 0.5
COMMON_FROM = 20  # papers; below this, document frequencies say little

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS papers USING fts5(
    folder UNINDEXED,
    name UNINDEXED,
    doc_type UNINDEXED,
    title,
    dnr UNINDEXED,
    date UNINDEXED,
    outcome UNINDEXED,
    clauses,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS papers_vocab USING fts5vocab(papers, row);
"""
WEIGHTS = "0, 0, 0, 5.0, 0, 0, 0, 3.0, 1.0"  # bm25 column weights: title, att-satser, body


def archive_path(out: Path) -> Path:
    return out / STATE_DIR / ARCHIVE_FILE


def connect(path: Path, create: bool = True) -> sqlite3.Connection:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(path)
    conn = sqlite3.connect(path, timeout=30)
    write_ahead(conn)
    # No fsync per commit: the index is rebuilt from the outputs (`rebuild`) if a power
    # cut ever loses its last entries.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


def paper_date(doc: Document) -> str:
    """The decision's date for a decided paper, else the first date the paper gives."""
    kinds = DECISION_DATES if doc.decision else ()
    chosen = [d for d in doc.dates if d.kind in kinds] or list(doc.dates)
    return chosen[0].date.isoformat() if chosen else ""


def body_text(doc: Document) -> str:
    return "\n".join(p.text for s in doc.sections for p in s.paragraphs)


def clause_text(doc: Document) -> str:
    lines = [c.text for c in doc.att_satser]
    if doc.decision:
        lines.append(doc.decision.text)
    return "\n".join(lines)


Row = tuple[str, str, str, str, str, str, str, str, str]
# folder, doc_type, title, dnr, date, outcome, score (higher is closer)
Hit = tuple[str, str, str, str, str, str, float]
T = TypeVar("T")


class Archive(Protocol):
    """What the precedents need of a full-text store; one per output folder."""

    def exists(self) -> bool: ...

    def put(self, row: Row) -> None:
        """Index (or re-index) one paper; `row` is (folder, name, doc_type, title, dnr,
        date, outcome, clauses, body)."""

    def lookup(self, folder: str) -> tuple[str, str, str] | None:
        """(doc_type, title, dnr) of the paper indexed as `folder`."""

    def hits(self, text: str, limit: int) -> list[Hit]:
        """Papers matching any of the text's subject words, closest first, without the
        kinds in `NOT_PRECEDENTS`."""


class SqliteArchive:
    """The embedded default: FTS5 with BM25, one file beside the ledger."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def put(self, row: Row) -> None:
        with connect(self.path) as conn:
            conn.execute("DELETE FROM papers WHERE folder = ?", (row[0],))
            conn.execute("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        conn.close()

    def lookup(self, folder: str) -> tuple[str, str, str] | None:
        conn = connect(self.path, create=False)
        try:
            found = conn.execute(
                "SELECT doc_type, title, dnr FROM papers WHERE folder = ?", (folder,)
            ).fetchone()
        finally:
            conn.close()
        return tuple(found) if found else None

    def hits(self, text: str, limit: int) -> list[Hit]:
        conn = connect(self.path, create=False)
        try:
            query = match_query(text, common_words(conn, text))
            if not query:
                return []
            rows = conn.execute(
                f"SELECT folder, doc_type, title, dnr, date, outcome, bm25(papers, {WEIGHTS})"  # noqa: S608
                " FROM papers"
                f" WHERE papers MATCH ? AND doc_type NOT IN ({','.join('?' * len(NOT_PRECEDENTS))})"
                f" ORDER BY bm25(papers, {WEIGHTS}) LIMIT ?",
                (query, *NOT_PRECEDENTS, limit),
            ).fetchall()
        finally:
            conn.close()
        return [(*row[:6], -row[6]) for row in rows]  # BM25 is lower for closer papers


PG_SCHEMA = """
CREATE TABLE IF NOT EXISTS attsats_precedents (
    archive text NOT NULL,
    folder text NOT NULL,
    name text NOT NULL,
    doc_type text NOT NULL,
    title text NOT NULL,
    dnr text NOT NULL,
    date text NOT NULL,
    outcome text NOT NULL,
    clauses text NOT NULL,
    body text NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish', title), 'A')
        || setweight(to_tsvector('swedish', clauses), 'B')
        || setweight(to_tsvector('swedish', body), 'D')
    ) STORED,
    PRIMARY KEY (archive, folder)
);
CREATE INDEX IF NOT EXISTS attsats_precedents_document
    ON attsats_precedents USING gin (document);
"""
# ts_rank's weights for the labels {D, C, B, A}: body, -, att-satser, title (as `WEIGHTS`).
PG_WEIGHTS = "{0.2, 0, 0.6, 1.0}"
PG_HITS = f"""
SELECT folder, doc_type, title, dnr, date, outcome,
       ts_rank('{PG_WEIGHTS}', document, query) AS rank
FROM attsats_precedents, websearch_to_tsquery('swedish', $2) AS query
WHERE archive = $1 AND document @@ query AND doc_type <> ALL($3::text[])
ORDER BY rank DESC, folder
LIMIT $4
"""
# The text's words found in more than a share of the archive's papers (`COMMON_SHARE`).
PG_COMMON = """
SELECT word FROM unnest($2::text[]) AS word
WHERE (
    SELECT count(*) FROM attsats_precedents
    WHERE archive = $1 AND document @@ plainto_tsquery('swedish', word)
) > $3
"""


def _dsn(url: str) -> str:
    """asyncpg's form of the URL: SQLAlchemy's "postgresql+asyncpg://" (Prefect's
    setting) is taken too."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


class PostgresArchive:
    """The scale-out: one PostgreSQL table, Swedish full text, rows keyed by archive."""

    def __init__(self, url: str, archive: str) -> None:
        self.dsn = _dsn(url)
        self.archive = archive

    def _run(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(connection)` to completion from synchronous code, on a thread of its
        own when this one already runs an event loop (a Prefect task may)."""

        async def main() -> T:
            import asyncpg

            conn = await asyncpg.connect(self.dsn, timeout=30)
            try:
                await _pg_schema(conn, self.dsn)
                return await work(conn)
            finally:
                await conn.close()

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(main())
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, main()).result()

    def exists(self) -> bool:
        async def count(conn: Any) -> int:
            return await conn.fetchval(
                "SELECT count(*) FROM attsats_precedents WHERE archive = $1", self.archive
            )

        return self._run(count) > 0

    def put(self, row: Row) -> None:
        async def upsert(conn: Any) -> None:
            await conn.execute(
                "INSERT INTO attsats_precedents"
                " (archive, folder, name, doc_type, title, dnr, date, outcome, clauses, body)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                " ON CONFLICT (archive, folder) DO UPDATE SET name = $3, doc_type = $4,"
                " title = $5, dnr = $6, date = $7, outcome = $8, clauses = $9, body = $10",
                self.archive,
                *row,
            )

        self._run(upsert)

    def lookup(self, folder: str) -> tuple[str, str, str] | None:
        async def one(conn: Any) -> Any:
            return await conn.fetchrow(
                "SELECT doc_type, title, dnr FROM attsats_precedents"
                " WHERE archive = $1 AND folder = $2",
                self.archive,
                folder,
            )

        found = self._run(one)
        return tuple(found) if found else None

    def hits(self, text: str, limit: int) -> list[Hit]:
        words = list(dict.fromkeys(w.lower() for w in WORD.findall(text)))

        async def query(conn: Any) -> list[Any]:
            papers = await conn.fetchval(
                "SELECT count(*) FROM attsats_precedents WHERE archive = $1", self.archive
            )
            common: set[str] = set()
            if papers >= COMMON_FROM and words:
                rows = await conn.fetch(PG_COMMON, self.archive, words, papers * COMMON_SHARE)
                common = {r["word"] for r in rows}
            terms = [w for w in words if w not in common][:MAX_TERMS]
            if not terms:
                return []
            # websearch syntax: bare words joined by "or"; WORD lets no operator through.
            return await conn.fetch(
                PG_HITS, self.archive, " or ".join(terms), list(NOT_PRECEDENTS), limit
            )

        return [(*tuple(r)[:6], float(r["rank"])) for r in self._run(query)]


_SCHEMA_READY: set[str] = set()


async def _pg_schema(conn: Any, dsn: str) -> None:
    """Create the table and its index once per process and database."""
    if dsn in _SCHEMA_READY:
        return
    # Two processes creating the table at once: the lock makes the second wait.
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('attsats_precedents'))")
        await conn.execute(PG_SCHEMA)
    _SCHEMA_READY.add(dsn)


def database_url() -> str | None:
    """The scale-out's PostgreSQL URL (`ATTSATS_DATABASE_URL`), or None: SQLite."""
    url = os.environ.get(DATABASE_URL, "").strip()
    return url or None


def open_archive(out: Path) -> Archive:
    """The archive of the output folder `out`, in the backend the setting chooses."""
    url = database_url()
    if url:
        return PostgresArchive(url, str(out.resolve()))
    return SqliteArchive(archive_path(out))


@contextlib.contextmanager
def keep_open(out: Path) -> Iterator[None]:
    """Hold a connection to the embedded archive for a run of many papers: closing the
    last connection to a WAL database checkpoints it, which every paper would pay."""
    if database_url():
        yield
        return
    conn = connect(archive_path(out))
    try:
        yield
    finally:
        conn.close()


def _archive(where: Archive | Path) -> Archive:
    """An archive, or the path of an SQLite archive file (`archive_path`)."""
    return SqliteArchive(where) if isinstance(where, Path) else where


def add(out: Path, folder: str, doc: Document) -> None:
    """Index (or re-index) the paper published as `out/<folder>/`."""
    if doc.status == "failed":
        return
    open_archive(out).put(
        (
            folder,
            mask(Path(doc.source.path).name),
            doc.doc_type,
            mask(doc.title or ""),
            mask(doc.diarienummer[0].raw) if doc.diarienummer else "",
            paper_date(doc),
            (doc.decision.outcome or "") if doc.decision else "",
            mask(clause_text(doc)),
            mask(body_text(doc)),
        )
    )


def rebuild(out: Path) -> int:
    """Index the folders an output folder already holds (`<name>/analysis.json`), for one
    written before the archive existed; return how many papers were indexed."""
    count = 0
    for analysis in sorted(out.glob(f"*/{ANALYSIS}")):
        if analysis.parent.name.startswith("."):
            continue
        try:
            doc = Document.model_validate_json(analysis.read_bytes())
        except (OSError, ValueError):  # not ours, or from another schema version
            continue
        add(out, analysis.parent.name, doc)
        count += doc.status != "failed"
    return count


def match_query(text: str, common: frozenset[str] = frozenset()) -> str:
    """An FTS5 query: any of the text's words but the `common` ones, each quoted (no
    operator can slip in)."""
    words = dict.fromkeys(w.lower() for w in WORD.findall(text))
    terms = [w for w in words if w not in common][:MAX_TERMS]
    return " OR ".join(f'"{t}"' for t in terms)


def common_words(conn: sqlite3.Connection, text: str) -> frozenset[str]:
    """The text's words found in more than `COMMON_SHARE` of a large enough archive."""
    (papers,) = conn.execute("SELECT count(*) FROM papers").fetchone()
    if papers < COMMON_FROM:
        return frozenset()
    words = list(dict.fromkeys(w.lower() for w in WORD.findall(text)))
    if not words:
        return frozenset()
    rows = conn.execute(
        f"SELECT term FROM papers_vocab WHERE term IN ({','.join('?' * len(words))})"  # noqa: S608
        " AND doc > ?",
        (*words, papers * COMMON_SHARE),
    ).fetchall()
    return frozenset(term for (term,) in rows)


def search(
    where: Archive | Path, text: str, limit: int = 10, exclude: str | None = None
) -> list[dict[str, Any]]:
    """The archived papers closest to `text`, best first, without agendas and policies,
    the paper `exclude` (a folder) or the same paper in another format. `where` is an
    archive (`open_archive`) or an SQLite archive file."""
    archive = _archive(where)
    rows = archive.hits(text, limit * 4 + 4)
    if not rows:
        return []
    own = archive.lookup(exclude) if exclude is not None else None
    found: list[dict[str, Any]] = []
    seen = {own} if own else set()
    for folder, doc_type, title, dnr, date, outcome, rank in rows:
        if folder == exclude or (doc_type, title, dnr) in seen:
            continue
        seen.add((doc_type, title, dnr))
        found.append(
            {
                "folder": folder,
                "doc_type": doc_type,
                "title": title,
                "dnr": dnr,
                "date": date,
                "outcome": outcome,
                "score": round(rank, 4),  # higher is closer
            }
        )
        if len(found) == limit:
            break
    return found


def subject(doc: Document) -> str:
    """What a paper is about, for finding its precedents: its title and att-satser, else
    the start of its body."""
    text = "\n".join([doc.title or "", *(c.text for c in doc.att_satser)])
    if len(WORD.findall(text)) < 3:
        text = f"{text}\n{body_text(doc)[:2000]}"
    return "\n".join(without_names(line) for line in text.splitlines())


def without_names(line: str) -> str:
    """The line without its capitalised words after the first: Swedish writes a subject
    in lower case, so those are names ("Svar på motion från Anna Berg (S) om ...") that
    would tie papers by the same proposer rather than on the same subject."""
    words = line.split()
    return " ".join(words[:1] + [w for w in words[1:] if not w[:1].isupper()])


def for_document(out: Path, doc: Document, folder: str | None = None) -> list[dict[str, Any]]:
    """The closest `CITED` earlier papers for `doc`'s draft; [] with no archive yet."""
    archive = open_archive(out)
    if not archive.exists():
        return []
    own = {
        ("dnr", mask(doc.diarienummer[0].raw) if doc.diarienummer else ""),
        ("title", mask(doc.title or "")),
    }
    found = search(archive, mask(subject(doc)), CITED * 4, exclude=folder)
    # The same paper read from another format is not its own precedent.
    found = [
        p
        for p in found
        if not (p["doc_type"] == doc.doc_type and {("dnr", p["dnr"]), ("title", p["title"])} == own)
    ]
    if not found:
        return []
    best = found[0]["score"]
    near = [p for p in found if p["score"] >= best * NEAR_BEST]
    near.sort(key=lambda p: (not p["outcome"], -p["score"]))
    return near[:CITED]

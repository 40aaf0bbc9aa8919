"""Precedents: a full-text index over the archive a batch or inbox has processed.

One SQLite FTS5 table in `OUT/.attsats/arkiv.sqlite`, beside the ledger, one row per
published paper. A new paper's draft cites the earlier motions, answers and decisions on
the same subject (BM25 over title, att-satser and body), and `attsats sok` searches it.
The tokenizer keeps å, ä and ö (`remove_diacritics 0`): "får" and "far" are other words.
Everything stored is masked (`pipeline.privacy.mask`): no personnummer in the index.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from pipeline.document import Document
from pipeline.privacy import mask

ARCHIVE_FILE = "arkiv.sqlite"
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
    conn.execute("PRAGMA journal_mode=WAL")
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


def add(out: Path, folder: str, doc: Document) -> None:
    """Index (or re-index) the paper published as `out/<folder>/`."""
    if doc.status == "failed":
        return
    with connect(archive_path(out)) as conn:
        conn.execute("DELETE FROM papers WHERE folder = ?", (folder,))
        conn.execute(
            "INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )
    conn.close()


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
    path: Path, text: str, limit: int = 10, exclude: str | None = None
) -> list[dict[str, Any]]:
    """The archived papers closest to `text`, best first (BM25), without agendas and
    policies, the paper `exclude` (a folder) or the same paper in another format."""
    conn = connect(path, create=False)
    try:
        query = match_query(text, common_words(conn, text))
        if not query:
            return []
        rows = conn.execute(
            f"SELECT folder, doc_type, title, dnr, date, outcome, bm25(papers, {WEIGHTS})"  # noqa: S608
            " FROM papers"
            f" WHERE papers MATCH ? AND doc_type NOT IN ({','.join('?' * len(NOT_PRECEDENTS))})"
            f" ORDER BY bm25(papers, {WEIGHTS}) LIMIT ?",
            (query, *NOT_PRECEDENTS, limit * 4 + 4),
        ).fetchall()
        own = None
        if exclude is not None:
            own = conn.execute(
                "SELECT doc_type, title, dnr FROM papers WHERE folder = ?", (exclude,)
            ).fetchone()
    finally:
        conn.close()
    found: list[dict[str, Any]] = []
    seen = {tuple(own)} if own else set()
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
                "score": round(-rank, 3),  # BM25: higher is closer
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
    path = archive_path(out)
    if not path.exists():
        return []
    own = {
        ("dnr", mask(doc.diarienummer[0].raw) if doc.diarienummer else ""),
        ("title", mask(doc.title or "")),
    }
    found = search(path, mask(subject(doc)), CITED * 4, exclude=folder)
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

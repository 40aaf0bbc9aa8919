"""Recognize stage: what kind of paper this is and its metadata.

Every rule reads its patterns from `patterns/recognize.yaml`. The paper's "top" (its
first paragraphs, its headings and its running headers) weighs most: a protokoll §
about a motion mentions the motion everywhere, but its top says "§ 197".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from pipeline.document import Author, DateMention, Diarienummer, Document, Paragraph
from pipeline.resources import load_patterns

FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class DocTypeRule:
    """Where the patterns of one document type are looked for (see recognize.yaml)."""

    name: str
    top: list[re.Pattern[str]]
    anywhere: list[re.Pattern[str]]
    heading: list[re.Pattern[str]]
    first: list[re.Pattern[str]]


@dataclass(frozen=True)
class Rules:
    top_paragraphs: int
    first_paragraphs: int
    doc_types: list[DocTypeRule]
    answers_motion: list[re.Pattern[str]]
    dnr_label: re.Pattern[str]
    dnr_foreign_label: re.Pattern[str]
    dnr_merge_field: re.Pattern[str]
    dnr_forms: list[re.Pattern[str]]
    dnr_labelled_forms: list[re.Pattern[str]]
    not_organs: frozenset[str]
    months: dict[str, int]
    date_kinds: list[tuple[str, re.Pattern[str]]]
    date_kinds_after: list[tuple[str, re.Pattern[str]]]
    iso_date: re.Pattern[str]
    long_date: re.Pattern[str]
    day_month_year: re.Pattern[str]
    compact_line: re.Pattern[str]
    place_date: re.Pattern[str]
    own_date_first_paragraphs: int
    heading_words: int
    own_date_last_paragraphs: int
    month_year: re.Pattern[str]
    day_month: re.Pattern[str]
    municipality: re.Pattern[str]
    region: re.Pattern[str]
    municipality_places: list[re.Pattern[str]]
    kommuner: frozenset[str]
    party_line: re.Pattern[str]
    parties: dict[str, str]
    municipality_domain: re.Pattern[str]
    municipality_domains: dict[str, str]
    organ: re.Pattern[str]
    authors: list[re.Pattern[str]]
    handlaggare_label: re.Pattern[str]
    contact: re.Pattern[str]
    name: re.Pattern[str]
    not_title: list[re.Pattern[str]]
    kind_led_title: re.Pattern[str]
    report_title: re.Pattern[str]
    bare_kind_line: re.Pattern[str]
    address_line: re.Pattern[str]
    flattened_words: int
    inline_title: re.Pattern[str]
    inline_title_words: int
    title_label: re.Pattern[str]
    title_furniture: re.Pattern[str]


def compile_all(patterns: list[str], flags: int = FLAGS) -> list[re.Pattern[str]]:
    return [re.compile(p, flags) for p in patterns]


@cache
def rules() -> Rules:
    data = load_patterns("pipeline.stages", "recognize")
    dnr = data["diarienummer"]
    months = {m: i for i, m in enumerate(data["dates"]["months"], start=1)}
    months_abbreviated = data["dates"]["month_abbreviations"]
    month_words = sorted([*months, *months_abbreviated], key=len, reverse=True)
    months = months | months_abbreviated
    parties = data["parties"]
    party_names = "|".join(sorted(map(re.escape, parties), key=len, reverse=True))
    people = {"name": data["name"], "party": data["party"], "party_names": party_names}
    kommuner = load_patterns("pipeline.stages", "kommuner")["kommuner"]
    return Rules(
        top_paragraphs=data["top_paragraphs"],
        first_paragraphs=data["first_paragraphs"],
        doc_types=[
            DocTypeRule(
                name=t["type"],
                top=compile_all(t.get("top", [])),
                anywhere=compile_all(t.get("anywhere", [])),
                heading=compile_all(t.get("heading", [])),
                first=compile_all(t.get("first", [])),
            )
            for t in data["doc_types"]
        ],
        answers_motion=compile_all(data["answers_motion"]),
        dnr_label=re.compile(dnr["label"], FLAGS),
        dnr_foreign_label=re.compile(dnr["foreign_label"], FLAGS),
        dnr_merge_field=re.compile(dnr["merge_field"]),
        # Organ abbreviations are upper case as printed: match forms case-sensitively.
        dnr_forms=[re.compile(rf"(?<![\w/–.-]){f}(?![\w/–]|-\d)") for f in dnr["forms"]],
        dnr_labelled_forms=[
            re.compile(rf"(?<![\w/–.,-]){f}(?![\w/–]|-\d|[.,]\d)") for f in dnr["labelled_forms"]
        ],
        not_organs=frozenset(dnr["not_organs"]),
        months=months,
        date_kinds=[(k, re.compile(p, FLAGS)) for k, p in data["dates"]["kinds"].items()],
        date_kinds_after=[
            (k, re.compile(p, FLAGS)) for k, p in data["dates"]["kinds_after"].items()
        ],
        iso_date=re.compile(r"(?<![\w-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\w-])"),
        long_date=re.compile(
            rf"\b(\d{{1,2}}) ({'|'.join(month_words)})\.? ((?:19|20)\d\d)\b", FLAGS
        ),
        day_month_year=re.compile(data["dates"]["day_month_year"]),
        compact_line=re.compile(data["dates"]["compact_line"]),
        place_date=re.compile(data["dates"]["place_date"]),
        own_date_first_paragraphs=data["dates"]["own_date_first_paragraphs"],
        heading_words=data["dates"]["heading_words"],
        own_date_last_paragraphs=data["dates"]["own_date_last_paragraphs"],
        month_year=re.compile(
            data["dates"]["month_year"].replace("{months}", "|".join(month_words)), FLAGS
        ),
        day_month=re.compile(
            data["dates"]["day_month"].replace("{months}", "|".join(month_words)), FLAGS
        ),
        municipality=re.compile(data["municipality"]),
        region=re.compile(data["region"]),
        municipality_places=[re.compile(p, re.MULTILINE) for p in data["municipality_places"]],
        kommuner=frozenset(kommuner),
        party_line=re.compile(data["party_line"].format(**people)),
        parties=parties,
        municipality_domain=re.compile(data["municipality_domain"]["pattern"], FLAGS),
        municipality_domains=domain_labels(kommuner, data["municipality_domain"]["aliases"])
        | region_labels(load_patterns("pipeline.stages", "kommuner")["regioner"]),
        organ=re.compile(data["organ"], FLAGS),
        authors=[re.compile(p.format(**people), re.MULTILINE) for p in data["authors"]],
        handlaggare_label=re.compile(data["handlaggare"]["label"], FLAGS),
        contact=re.compile(data["handlaggare"]["contact"], FLAGS),
        name=re.compile(rf"^{data['name']}$"),
        not_title=compile_all(data["not_title"]),
        kind_led_title=re.compile(data["kind_led_title"], FLAGS),
        report_title=re.compile(data["report_title"], FLAGS),
        bare_kind_line=re.compile(data["bare_kind_line"], FLAGS),
        address_line=re.compile(data["address_line"], FLAGS),
        flattened_words=data["flattened_words"],
        inline_title=re.compile(data["inline_title"], FLAGS),
        inline_title_words=data["inline_title_words"],
        title_label=re.compile(data["title_label"], FLAGS),
        title_furniture=re.compile(data["title_furniture"], FLAGS),
    )


def ascii_fold(name: str) -> str:
    """A name in lower-case ASCII: å, ä -> a, ö -> o, é -> e ("Malung-Sälen" -> "malung-salen")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def domain_labels(names: list[str], aliases: dict[str, str]) -> dict[str, str]:
    """Domain label -> municipality: each name folded to ASCII, spaces dropped and hyphens
    kept or dropped ("upplandsvasby", "malung-salen", "dalsed"); a label two names give
    is left out, unless an alias (an official domain the folding cannot give) names it."""
    owners: dict[str, set[str]] = {}
    for name in names:
        folded = ascii_fold(name)
        for label in {
            re.sub(r"[\s-]+", "", folded),
            re.sub(r"\s+", "", folded),
            re.sub(r"\s+", "-", folded),
        }:
            owners.setdefault(label, set()).add(name)
    labels = {label: next(iter(named)) for label, named in owners.items() if len(named) == 1}
    return labels | aliases


def region_labels(regions: list[str]) -> dict[str, str]:
    """Domain label -> region: "regionhalland" -> "Region Halland"."""
    return {"region" + re.sub(r"\s+", "", ascii_fold(name)): f"Region {name}" for name in regions}


def top_texts(doc: Document) -> list[str]:
    """The paper's top: its first paragraphs, its headings and its running headers."""
    r = rules()
    body = [p.text for p in doc.paragraphs()[: r.top_paragraphs]]
    headings = [s.heading for s in doc.sections if s.heading][:3]
    return body + headings + [p.text for p in doc.furniture]


def doc_type(doc: Document) -> str:
    r = rules()
    top = top_texts(doc)
    paragraphs = doc.paragraphs()
    body = [p.text for p in paragraphs]
    first = [p.text for p in paragraphs[: r.first_paragraphs]]
    headings = [s.heading for s in doc.sections if s.heading]
    first += headings[:1] if not first or doc.sections[0].heading else []
    for rule in r.doc_types:
        if (
            any(p.search(t) for p in rule.first for t in first)
            or any(p.search(t) for p in rule.top for t in top)
            or any(p.search(t) for p in rule.anywhere for t in body)
            or any(p.search(h) for p in rule.heading for h in headings)
        ):
            if rule.name == "tjansteskrivelse" and any(
                p.search(t) for p in r.answers_motion for t in body
            ):
                return "motionssvar"
            return rule.name
    return "okand"


def parse_dnr(match: re.Match[str], raw: str) -> Diarienummer:
    groups = match.groupdict()
    year = groups.get("year")
    year_int = int(year) if year else None
    if year_int is not None and year_int < 100:
        year_int += 2000 if year_int < 70 else 1900
    return Diarienummer(
        raw=raw,
        organ=groups.get("organ"),
        year=year_int,
        number=groups.get("number"),
        suffix=groups.get("suffix"),
    )


ISO_DATE_IN = re.compile(r"((?:19|20)\d\d)[-–](\d\d)[-–](\d\d)")


def is_valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_not_a_case_number(match: re.Match[str]) -> bool:
    """Shapes a case-number form can take by accident: a date ("2024-06-12", "KS 25/10"),
    a riksmöte ("JO 2003/04", "prop. 2008/09"), a range of years ("2019-2023")."""
    text = match.group(0)
    date = ISO_DATE_IN.search(text)
    if date and is_valid_date(*(int(g) for g in date.groups())):
        return True
    groups = match.groupdict()
    year, number = groups.get("year"), groups.get("number") or ""
    if year is None:
        return False
    if len(year) == 2:
        return len(number) <= 2 and 1 <= int(number) <= 12 and 1 <= int(year) <= 31
    year_int = int(year)
    if len(number) == 2 and int(number) == (year_int + 1) % 100 and "/" in text:
        return True
    # A year and a month ("KPI 2024-03"): a dash, two digits up to 12, nothing after.
    if (
        len(number) == 2
        and 1 <= int(number) <= 12
        and not groups.get("suffix")
        and re.search(rf"{year}[-–]{number}$", text)
    ):
        return True
    return len(number) == 4 and 0 < abs(int(number) - year_int) <= 10


def find_dnr(text: str, labelled: bool) -> list[tuple[int, Diarienummer]]:
    """Case numbers in `text`, in order; bare year/number shapes only when `labelled`."""
    r = rules()
    text = r.dnr_merge_field.sub("", text)
    found: list[tuple[int, Diarienummer]] = []
    taken: list[tuple[int, int]] = []
    forms = r.dnr_forms + (r.dnr_labelled_forms if labelled else [])
    for form in forms:
        for m in form.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            organ = m.groupdict().get("organ")
            if organ and organ.upper() in r.not_organs:
                continue
            if is_not_a_case_number(m):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), parse_dnr(m, m.group(0))))
    return sorted(found, key=lambda pair: pair[0])


def labelled_value(texts: list[str], i: int, after: str) -> str:
    """The text a label names: the rest of its line, or the next line when the label
    stands alone; a value broken after a dash or slash continues on the following line."""
    value = after.strip()
    following = i + 1
    if not value and following < len(texts):
        value, following = texts[following].strip(), following + 1
    if value.endswith(("-", "–", "/")) and following < len(texts):
        value += texts[following].strip()
    return value


def labelled_numbers(texts: list[str]) -> list[Diarienummer]:
    """The first case number behind every label in `texts` (lines in reading order)."""
    r = rules()
    found: list[Diarienummer] = []
    for i, text in enumerate(texts):
        for label in r.dnr_label.finditer(text):
            if r.dnr_foreign_label.search(text[max(0, label.start() - 4) : label.end()]):
                continue
            value = labelled_value(texts, i, text[label.end() :])
            found += [d for _, d in find_dnr(value[:48], labelled=True)][:1]
    return found


def column_numbers(table: Paragraph) -> list[Diarienummer]:
    """Case numbers in a table column headed by a label, or in the cell right of a label."""
    r = rules()
    rows = table.rows or []
    found: list[Diarienummer] = []
    for row_index, row in enumerate(rows):
        for col, cell in enumerate(row):
            if not r.dnr_label.fullmatch(cell.strip()):
                continue
            below = [later[col] for later in rows[row_index + 1 :] if col < len(later)]
            beside = row[col + 1 : col + 2]
            for value in beside + below:
                found += [d for _, d in find_dnr(value, labelled=True)][:1]
    return found


def diarienummer(doc: Document) -> list[Diarienummer]:
    """The paper's own case numbers: behind a label in its top or running headers (or at
    the start of any paragraph), in a labelled table column, or printed with an organ
    in the top. Numbers the body merely cites are not the paper's own."""
    r = rules()
    paragraphs = doc.paragraphs()
    top = [p.text for p in paragraphs[: r.top_paragraphs]]
    furniture = [p.text for p in doc.furniture]
    starts = [
        p.text
        for p in paragraphs[r.top_paragraphs :]
        if r.dnr_label.match(re.sub(r"^§\s*\d+\s*", "", p.text))
    ]
    own = labelled_numbers(furniture) + labelled_numbers(top) + labelled_numbers(starts)
    own += [d for p in paragraphs if p.kind == "table" and p.rows for d in column_numbers(p)]
    own += [d for text in furniture + top for _, d in find_dnr(text, labelled=False)]
    # The same number printed twice ("KS-2024-00103", "KS 2024-00103") is one number.
    seen: set[tuple] = set()
    result = []
    for dnr in own:
        key = (dnr.organ, dnr.year, int(dnr.number or 0), dnr.suffix)
        if key not in seen:
            seen.add(key)
            result.append(dnr)
    return result


def date_kind(context: str, doc_type_name: str) -> str:
    for kind, pattern in rules().date_kinds:
        if pattern.search(context):
            if kind == "dokument" and doc_type_name == "protokoll":
                return "sammantrade"
            return kind
    return "ovrigt"


def date_candidates(text: str) -> list[tuple[re.Match[str], tuple[int, int, int]]]:
    """(match, (year, month, day)) for every date shape in `text`."""
    r = rules()
    found = [
        (m, (int(m.group(1)), int(m.group(2)), int(m.group(3)))) for m in r.iso_date.finditer(text)
    ]
    found += [
        (m, (int(m.group(3)), r.months[m.group(2).lower()], int(m.group(1))))
        for m in r.long_date.finditer(text)
    ]
    found += [
        (m, (int(m.group(3)), int(m.group(2)), int(m.group(1))))
        for m in r.day_month_year.finditer(text)
    ]
    compact = r.compact_line.search(text.strip())
    if compact:
        yy, mm, dd = (int(g) for g in compact.groups())
        found.append((compact, (2000 + yy if yy < 70 else 1900 + yy, mm, dd)))
    return found


def is_heading_line(text: str, position: int) -> bool:
    """A line among the first that names the paper rather than says something: no
    closing stop and short ("Medborgarförslag ... onsdagen 12 dec 2018 kl. 18.30")."""
    r = rules()
    text = text.strip()
    return (
        0 <= position < r.own_date_first_paragraphs
        and not text.endswith((".", "!", "?", ":", ";"))
        and len(text.split()) <= r.heading_words
    )


def is_own_date_line(text: str, position: int) -> bool:
    """A line that dates the paper itself: a place and a date (a signature), a short
    line among the first ("Motion 2024-09-09", "080331:") or a heading among them."""
    r = rules()
    return (
        bool(r.place_date.match(text.strip()))
        or (0 <= position < r.own_date_first_paragraphs and len(text.split()) <= 4)
        or is_heading_line(text, position)
    )


def body_lines(doc: Document) -> list[str]:
    """The body in reading order with the section headings in their place: a title set as
    a heading (Word's Heading 1) may hold the paper's date."""
    lines: list[str] = []
    for section in doc.sections:
        if section.heading:
            lines.append(section.heading)
        lines += [p.text for p in section.paragraphs]
    return lines


def paper_year(doc: Document, full: list[DateMention]) -> int | None:
    """The year a year-less date belongs to: the paper's own Dnr's year, else the latest of
    its full dates, else the one year it prints, if it prints only one."""
    for dnr in doc.diarienummer[:1]:
        if dnr.year and 1900 < int(dnr.year) < 2100:
            return int(dnr.year)
    if full:
        return max(d.date.year for d in full)
    years = {
        int(y)
        for line in [*(p.text for p in doc.furniture), *body_lines(doc)]
        for y in re.findall(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])", line)
    }
    return years.pop() if len(years) == 1 else None


def part_dates(
    doc: Document, lines: list[tuple[int, str]], full: list[DateMention]
) -> list[DateMention]:
    """A proposal's own date printed in part on a line that dates it: "mars 2014" (its
    first day stands for the month), "Norrvik den 4 februari" (the paper's year)."""
    r = rules()
    found: list[DateMention] = []
    year = None
    last = len(lines) - r.own_date_last_paragraphs
    for position, text in lines:
        signature = position >= last and len(text.split()) <= 4
        if not (is_own_date_line(text, position) or signature):
            continue
        for m in r.month_year.finditer(text):
            if r.long_date.search(text[max(0, m.start() - 4) : m.end()]):
                continue
            month = r.months[m.group(1).lower()]
            found.append(
                DateMention(
                    kind=doc.doc_type, date=dt.date(int(m.group(2)), month, 1), raw=m.group(0)
                )
            )
        for m in r.day_month.finditer(text):
            year = year or paper_year(doc, full)
            month = r.months[m.group(2).lower()]
            if year and is_valid_date(year, month, int(m.group(1))):
                found.append(
                    DateMention(
                        kind=doc.doc_type,
                        date=dt.date(year, month, int(m.group(1))),
                        raw=m.group(0),
                    )
                )
    return found


def dates(doc: Document) -> list[DateMention]:
    """Every date with its kind; a motion's or medborgarförslag's own date (its signature,
    letterhead or heading date, or its "Datum") takes the paper's type as kind; where it
    prints none in full, a part date on such a line ("mars 2014", "den 4 februari")."""
    r = rules()
    found: list[DateMention] = []
    seen: set[tuple[str, dt.date]] = set()
    previous = ""
    proposal = doc.doc_type in ("motion", "medborgarforslag")
    furniture = [p.text for p in doc.furniture]
    body = body_lines(doc)
    for position, text in enumerate([*furniture, *body]):
        position -= len(furniture)
        for m, (year, month, day) in date_candidates(text):
            if not is_valid_date(year, month, day):
                continue
            date = dt.date(year, month, day)
            before = text[max(0, m.start() - 40) : m.start()]
            context = before if before.strip() else previous
            kind = date_kind(context, doc.doc_type)
            after = text[m.end() : m.end() + 30]
            for later_kind, pattern in r.date_kinds_after:
                if kind == "ovrigt" and pattern.search(after):
                    kind = later_kind
            compact = m.re is r.compact_line
            if (
                proposal
                and position >= 0
                and (
                    kind == "dokument"
                    or (kind == "ovrigt" and (compact or is_own_date_line(text, position)))
                )
            ):
                kind = doc.doc_type
            elif (
                kind == "ovrigt"
                and 0 <= position < r.own_date_first_paragraphs
                and (text.strip() == m.group(0) or r.place_date.match(text.strip()))
            ):
                # A date standing alone in the letterhead dates the paper (or its meeting).
                meeting = doc.doc_type in ("protokoll", "kallelse")
                kind = "sammantrade" if meeting else "dokument"
            if (kind, date) not in seen:
                seen.add((kind, date))
                found.append(DateMention(kind=kind, date=date, raw=m.group(0)))
        previous = text
    if proposal and not any(d.kind == doc.doc_type for d in found):
        lines = [(i, text) for i, text in enumerate(body)]
        for mention in part_dates(doc, lines, found):
            if (mention.kind, mention.date) not in seen:
                seen.add((mention.kind, mention.date))
                found.append(mention)
    return found


def municipality(doc: Document) -> str | None:
    """The municipality (or region) the paper belongs to: "X kommun", "Region X", a
    place its signature or address names, else its own web or e-mail domain."""
    r = rules()
    texts = [p.text for p in doc.furniture] + top_texts(doc) + [p.text for p in doc.paragraphs()]
    for text in texts:
        for m in r.municipality.finditer(text):
            name = m.group("name") or m.group("caps").title()
            return genitive_stem(name)
    for text in texts:
        m = r.region.search(text)
        if m:
            name = m.group("name") or m.group("lt")
            return name if name in r.kommuner else f"Region {name}"
    for pattern in r.municipality_places:
        for text in texts:
            for m in pattern.finditer(text):
                place = m.group("place")
                for name in (place, genitive_stem(place)):
                    if name in r.kommuner:
                        return name
    headings = [s.heading for s in doc.sections if s.heading]
    return municipality_from_domains(
        [p.text for p in doc.furniture] + headings + [p.text for p in doc.paragraphs()]
    )


def genitive_stem(name: str) -> str:
    """ "Mariestads" is the genitive of Mariestad; "Borås" is not a genitive."""
    if name.endswith("s") and len(name) > 3 and name[-2] not in "aeiouyåäö":
        return name[:-1]
    return name


def municipality_from_domains(texts: list[str]) -> str | None:
    """The municipality whose own e-mail or web domain the texts name most often (on a tie,
    the first named)."""
    r = rules()
    found = Counter(
        r.municipality_domains[label]
        for text in texts
        for m in r.municipality_domain.finditer(text)
        if (label := m.group("label").lower()) in r.municipality_domains
    )
    return found.most_common(1)[0][0] if found else None


def organ(doc: Document) -> str | None:
    r = rules()
    for text in [p.text for p in doc.furniture] + top_texts(doc):
        m = r.organ.search(text)
        if m:
            value = m.group("organ")
            return value[0].upper() + value[1:]
    return None


def is_title(text: str) -> bool:
    r = rules()
    words = text.split()
    return (
        3 <= len(words) <= 40
        and text[:1].isupper()
        and not text.endswith((".", ":", ";"))
        and not any(p.search(text) for p in r.not_title)
        and not r.place_date.match(text)
        and not (r.iso_date.search(text) and len(words) < 4)
        and not (r.long_date.search(text) and len(words) < 6)
        and not any(pos == 0 for pos, _ in find_dnr(text, labelled=False))
    )


def title_candidate(text: str) -> str:
    """A line as a title: a kind-led line without its closing stop, colon or semicolon,
    any line without a trailing place and date ("... ID-kontroller Kungsbacka 230928")."""
    r = rules()
    text = r.compact_line.sub("", text).strip() if r.compact_line.search(text) else text
    text = r.title_label.sub("", text)
    return text.rstrip(" .:;") if r.kind_led_title.match(text) else text


def protokoll_title(paragraphs: list[Paragraph]) -> str | None:
    """The subject of a § line: what follows its case number ("§ 45 Dnr KS 2022/0811
    Motion om ..."), the whole line when it names no number ("§ 257 Besvarande av
    motion ..."), else the line after it ("§ 197 Dnr KS-2024-00850" / "Svar på ...")."""
    r = rules()
    for i, p in enumerate(paragraphs[: r.top_paragraphs]):
        paragraph_sign = re.match(r"^(?:[A-ZÅÄÖ]{1,6} )?§\s*\d+", p.text)
        if paragraph_sign:
            rest = p.text[paragraph_sign.end() :]
            label = r.dnr_label.search(rest)
            if label:
                numbers = find_dnr(rest[label.end() :], labelled=True)
                end = label.end() + numbers[0][0] + len(numbers[0][1].raw) if numbers else 0
                before, after = rest[: label.start()].strip(), rest[end:].strip() if end else ""
                if len(after.split()) >= 3:
                    return after
                if len(before.split()) >= 3:
                    return p.text[: paragraph_sign.end() + label.start()].strip()
            elif len(rest.split()) >= 4:
                return p.text
            if i + 1 < len(paragraphs):
                return paragraphs[i + 1].text
    return None


def title(doc: Document) -> str | None:
    paragraphs = doc.paragraphs()
    r = rules()
    if doc.doc_type == "protokoll" and (found := protokoll_title(paragraphs)):
        return found
    if doc.doc_type == "kallelse":
        rule = next(t for t in r.doc_types if t.name == "kallelse")
        for text in top_lines(doc, standard_headings=True)[: r.top_paragraphs]:
            if any(pattern.search(text) for pattern in rule.top + rule.first):
                return text
    if doc.doc_type == "styrdokument":
        rule = next(t for t in r.doc_types if t.name == "styrdokument")
        for p in doc.furniture:
            if any(pattern.search(p.text) for pattern in rule.top) or r.report_title.search(p.text):
                return r.title_furniture.sub("", p.text).strip()
        for p in paragraphs[: r.first_paragraphs]:
            if any(pattern.search(p.text) for pattern in rule.first):
                return p.text
    top = top_lines(doc)[: r.top_paragraphs]
    for i, text in enumerate(top):
        if (addressed := addressed_kind(top, i)) is not None:
            return addressed
        candidate = title_candidate(text)
        if is_title(candidate):
            return candidate
        if found := inline_title(text):
            return found
    return None


def addressed_kind(top: list[str], i: int) -> str | None:
    """A bare kind line with the address under it and no subject line after that
    ("Motion" / "Till Kommunfullmäktige i X" / prose): "Motion till Kommunfullmäktige i X"."""
    r = rules()
    lines = [t.strip() for t in top[i:]]
    if (
        i >= r.first_paragraphs
        or len(lines) < 2
        or not r.bare_kind_line.match(lines[0])
        or not r.address_line.match(lines[1])
    ):
        return None
    # Short lines after the address are its letterhead ("Inkom 2024-03-18"); the first
    # longer line is the subject, if it reads as a title, else the paper has begun.
    following = [t for t in lines[2:] if len(t.split()) > 4]
    if following and is_title(title_candidate(following[0])):
        return None
    return f"{lines[0]} {lines[1][0].lower()}{lines[1][1:]}"


def inline_title(text: str) -> str | None:
    """The title inside a page flattened into one long line: a kind-led span up to its
    first question mark or full stop ("Motion: Hur har ... vårdval?"), the stop dropped."""
    r = rules()
    if len(text.split()) <= r.flattened_words:
        return None
    m = r.inline_title.search(text)
    if m is None or len(m.group(0).split()) > r.inline_title_words:
        return None
    return m.group(0).rstrip(".")


def top_lines(doc: Document, standard_headings: bool = False) -> list[str]:
    """The paper's lines in reading order, a heading that names the paper included (a
    Word title set as Heading 1), the standard part headings ("Bakgrund") left out
    unless asked for."""
    from pipeline.stages.segment import known_headings

    found: list[str] = []
    for section in doc.sections:
        if section.heading and (standard_headings or not known_headings().match(section.heading)):
            found.append(section.heading)
        found += [p.text for p in section.paragraphs]
    return found


def authors(doc: Document) -> list[Author]:
    r = rules()
    found: list[Author] = []
    paragraphs = doc.paragraphs()
    # A signature stands last; phrases such as "Motion från X (KB)" anywhere.
    signature = paragraphs[-6:] if doc.doc_type in ("motion", "medborgarforslag") else []
    for pattern_index, pattern in enumerate(r.authors):
        signature_only = pattern.pattern.startswith("^")
        for p in signature if signature_only else paragraphs:
            for m in pattern.finditer(p.text):
                groups = m.groupdict()
                party = groups.get("party") or r.parties.get(groups.get("party_name") or "")
                author = Author(name=groups["name"], party=party, role=groups.get("role"))
                if all(a.name != author.name for a in found):
                    found.append(author)
        # The first three patterns are phrases ("Motion från X (KB)"); a paper that names
        # its authors so needs no guess from a signature block.
        if found and pattern_index < 3:
            break
    return found + signed_with_party_line(signature, found)


def signed_with_party_line(signature: list[Paragraph], found: list[Author]) -> list[Author]:
    """A name on one line and the party on the next ("Centerpartiet i Vimmerby")."""
    r = rules()
    extra: list[Author] = []
    for current, following in zip(signature, signature[1:], strict=False):
        party = r.party_line.match(following.text.strip())
        if party and r.name.match(current.text.strip()):
            name = current.text.strip()
            if all(a.name != name for a in found + extra):
                extra.append(Author(name=name, party=r.parties[party.group("party_name")]))
    return extra


def handlaggare(doc: Document) -> str | None:
    r = rules()
    paragraphs = doc.paragraphs()
    for i, p in enumerate(paragraphs):
        label = r.handlaggare_label.match(p.text)
        if label:
            rest = p.text[label.end() :].strip() or (
                paragraphs[i + 1].text if i + 1 < len(paragraphs) else ""
            )
            name = rest.split(",")[0].strip()
            return name or None
    return contact_person(paragraphs[: rules().top_paragraphs])


def contact_person(top: list[Paragraph]) -> str | None:
    """A letterhead's contact block: a name followed by a phone or e-mail line."""
    r = rules()
    for current, following in zip(top, top[1:], strict=False):
        if r.name.match(current.text) and r.contact.search(following.text):
            return current.text
    return None


def printed_kind(doc: Document) -> str | None:
    """The kind an `okand` paper prints for itself ("Interpellation", "Reservation",
    "Initiativärende"): the schema has no type for it, so it is kept as printed."""
    rule = next(t for t in rules().doc_types if t.name == "okand")
    for p in doc.paragraphs()[: rules().first_paragraphs]:
        for pattern in rule.first:
            m = pattern.search(p.text)
            if m:
                return m.group(0)
    return None


def recognize(doc: Document) -> Document:
    doc.doc_type = doc_type(doc)  # type: ignore[assignment]
    doc.printed_kind = printed_kind(doc) if doc.doc_type == "okand" else None
    doc.diarienummer = diarienummer(doc)
    doc.dates = dates(doc)
    doc.municipality = municipality(doc)
    doc.organ = organ(doc)
    doc.title = title(doc)
    doc.authors = authors(doc)
    doc.handlaggare = handlaggare(doc)
    return doc

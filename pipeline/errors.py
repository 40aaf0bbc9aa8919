"""The catalogue of coded errors and warnings.

A failure on one document becomes data on that document (`status` plus a coded
`Problem`), never a crash of the batch. Codes are stable: tools and officials search
for them. E1xx: the file cannot be read; W1xx: read, with something set aside or missing;
E2xx/W2xx: intake of files and archives, and what a batch or the inbox writes.
Messages are Swedish because officials read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Document, Problem


@dataclass(frozen=True)
class Entry:
    code: str
    template: str
    degrades: bool = False  # a warning that leaves the document only partly read


CATALOGUE: dict[str, Entry] = {
    e.code: e
    for e in [
        Entry("E101", "Filen finns inte eller kan inte läsas: {path}"),
        Entry(
            "E102",
            "Filformatet stöds inte ({suffix}); attsats läser .docx, .doc, .odt, .rtf, .pdf,"
            " .txt och .md.",
        ),
        Entry("E103", "Filens innehåll stämmer inte med ändelsen {suffix}: {detail}"),
        Entry("E104", "Filen är skadad och kan inte läsas som {fmt}: {detail}"),
        Entry("E105", "PDF-filen är krypterad eller lösenordsskyddad."),
        Entry("E106", "PDF-filen saknar textlager (inskannad bild); den behöver OCR-tolkas."),
        Entry("E107", "Dokumentet innehåller ingen text."),
        Entry("E108", "Textfilen är inte giltig text i UTF-8, UTF-16 eller Windows-1252."),
        Entry(
            "E109",
            "Office-filen är krypterad eller lösenordsskyddad; spara den utan lösenord och"
            " lämna in den igen.",
        ),
        Entry("E110", "Filen är för stor för att läsas säkert: {detail}"),
        Entry("E111", "Filen har otillåtet eller felaktigt innehåll och lästes inte: {detail}"),
        Entry("E112", "OCR-tolkningen av den inskannade PDF-filen misslyckades: {detail}"),
        Entry("E113", "Filen kunde inte konverteras med LibreOffice: {detail}"),
        Entry("E114", "Filen är tom (0 byte)."),
        Entry("W101", 'Mallrest borttagen: "{text}"'),
        Entry("W102", "Spårad ändring: borttagen text ignorerades, infogad text togs med."),
        Entry("W103", "Sida {page} saknar textlager och lästes inte.", degrades=True),
        Entry("W104", "Textfilen var inte UTF-8 och lästes som {encoding}."),
        Entry(
            "W105",
            "Inga att-satser hittades i {kind}; kontrollera förslagen i originalet.",
            degrades=True,
        ),
        Entry(
            "W106",
            "Texten är OCR-tolkad från inskannade sidor (säkerhet {confidence} %);"
            " kontrollera den mot originalet.",
        ),
        Entry(
            "W110",
            "Protokollets paragrafförteckning stämmer inte med paragraferna som hittades: {detail}",
        ),
        # E2xx/W2xx: intake (inbox, batch, archives), outside any one document's content.
        Entry("E201", "Bearbetningen misslyckades {attempts} gånger; filen lades undan: {detail}"),
        Entry("E202", "Arkivet {archive} kan inte packas upp: {detail}"),
        Entry("E203", "Utkasten kunde inte skapas: {detail}"),
        Entry("E204", "Analysen tog längre tid än {seconds} sekunder och avbröts."),
        Entry("E205", "Analysen behövde mer minne än {megabytes} MB och avbröts."),
        Entry("W201", "{member} i arkivet {archive} hoppades över: {reason}"),
        Entry("W202", "Samma innehåll som {first}; analyserades inte igen (dubblett)."),
    ]
}


class AttsatsError(Exception):
    """Raised inside an extractor or stage; turned into data by `record`."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(f"{code}: {message(code, **fields)}")


def message(code: str, **fields: object) -> str:
    return CATALOGUE[code].template.format(**fields)


def record(
    doc: Document,
    code: str,
    *,
    page: int | None = None,
    paragraph: int | None = None,
    **fields: object,
) -> None:
    """Add a coded problem to `doc` and update its status accordingly."""
    entry = CATALOGUE[code]
    text = message(code, page=page, paragraph=paragraph, **fields)
    problem = Problem(code=code, message=text, page=page, paragraph=paragraph)
    if code.startswith("E"):
        doc.errors.append(problem)
        doc.status = "failed"
    else:
        doc.warnings.append(problem)
        if entry.degrades and doc.status == "ok":
            doc.status = "partial"

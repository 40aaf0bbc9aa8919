"""A short Swedish summary of one analysed document, for the terminal."""

from __future__ import annotations

from pipeline.document import Document

DOC_TYPE_NAMES = {
    "motion": "Motion",
    "medborgarforslag": "Medborgarförslag",
    "motionssvar": "Svar på motion eller medborgarförslag",
    "tjansteskrivelse": "Tjänsteskrivelse",
    "protokoll": "Protokoll",
    "kallelse": "Kallelse",
    "styrdokument": "Styrdokument",
    "okand": "Okänd dokumenttyp",
}
STATUS_NAMES = {"ok": "läst", "partial": "delvis läst", "failed": "kunde inte läsas"}


def summary(doc: Document) -> str:
    lines = [f"{doc.source.path}  [{STATUS_NAMES[doc.status]}]"]
    for error in doc.errors:
        lines.append(f"  Fel {error.code}: {error.message}")
    if doc.status == "failed":
        return "\n".join(lines)
    lines.append(f"  Typ: {DOC_TYPE_NAMES[doc.doc_type]}")
    fields = [
        ("Rubrik", doc.title),
        ("Kommun", doc.municipality),
        ("Organ", doc.organ),
        ("Dnr", ", ".join(d.raw for d in doc.diarienummer)),
        ("Datum", ", ".join(f"{d.date.isoformat()} ({d.kind})" for d in doc.dates)),
        (
            "Författare",
            ", ".join(f"{a.name} ({a.party})" if a.party else a.name for a in doc.authors),
        ),
        ("Handläggare", doc.handlaggare),
    ]
    lines += [f"  {label}: {value}" for label, value in fields if value]
    paragraphs = doc.paragraphs()
    lines.append(
        f"  {len(doc.sections)} avsnitt, {len(paragraphs)} stycken"
        + (
            f", {doc.source.pages} {'sida' if doc.source.pages == 1 else 'sidor'}"
            if doc.source.pages
            else ""
        )
    )
    if doc.att_satser:
        lines.append(f"  Att-satser ({len(doc.att_satser)}):")
        lines += [f"    {a.number}. {a.text}" for a in doc.att_satser]
    if doc.decision:
        outcome = f" [{doc.decision.outcome}]" if doc.decision.outcome else ""
        lines.append(f"  Beslut{outcome}: {doc.decision.text}")
    for warning in doc.warnings:
        lines.append(f"  Varning {warning.code}: {warning.message}")
    return "\n".join(lines)

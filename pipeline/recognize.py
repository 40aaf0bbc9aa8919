from pipeline.document import Document


def recognize(doc: Document) -> Document:
    return doc

"""What attsats writes for people: Word drafts and assessment tables from templates, the
archive report, the readable summary, and the typesetter that renders a paper as PDF/DOCX."""

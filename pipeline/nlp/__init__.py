"""spaCy for attsats: the one `Language` (`language`), registered components, the lexicon of
lemmas and compounds, and the trained clause classifier with its training data."""

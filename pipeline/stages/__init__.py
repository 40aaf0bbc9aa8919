"""The stages a paper passes through, each a pure `Document -> Document`.

Their order is written down once, in `run.STAGES`; each stage reads the data of its rules
from `patterns/` beside it.
"""

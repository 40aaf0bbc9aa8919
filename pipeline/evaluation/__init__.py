"""Measuring the analysis against gold annotations, per corpus and rendering route."""

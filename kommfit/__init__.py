"""kommfit: the "Fitnessprogramm Digitale Kommunikation" — quiz widgets, answer files and grading helpers for an
nbgrader course in German. See README.md and ../DESIGN.md for how a click becomes a grade."""

__version__ = "0.1.0"

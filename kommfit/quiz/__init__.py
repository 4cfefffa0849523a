"""The question model and its widget kinds (single and multiple choice, matching, free text), with the
shared display and keyboard helpers. Runs in the participant's kernel.

Every module notebook's first code cell imports from here, so this is where a participant's kernel starts following
"run all" to send the page back to the module's top afterwards (``runall.py``; nothing happens outside a kernel).
"""

from .runall import follow_run_all

follow_run_all()

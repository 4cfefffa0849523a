"""The question model and its widget kinds (single and multiple choice, matching, free text), with the
shared display and keyboard helpers. Runs in the participant's kernel.
"""

"""Shared foundations: file formats (answer file, company profile, hand-in codes) and small pure helpers.

Imports nothing else of kommfit; runs everywhere (participant kernel, sandbox, facilitator).
"""

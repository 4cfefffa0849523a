"""Batch grading: workers, the kernel fork server, the sandbox and the intake check of each submission.
"""

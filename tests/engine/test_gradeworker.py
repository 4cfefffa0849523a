"""The grading worker's German failure reasons: the exception that ended the run, never a warning every run prints."""

from __future__ import annotations

from kommfit.engine.forkkernel import SANDBOX_FAILED
from kommfit.engine.worker import explain_failure

# nbgrader logs this for every hidden-test cell of every module, in successful runs too
CHECKSUM_NOISE = "\n".join(
    f"[WARNING] Checksum for grade cell m01-a{n} has changed!" for n in range(1, 8)
) + "\n[INFO] Overwriting files with master versions from the source directory\n"

WRAPPED = (
    "Traceback (most recent call last):\n"
    '  File "nbgrader/converters/base.py", line 468, in convert_notebooks\n'
    "nbgrader.converters.base.NbGraderException: Please see the the above traceback for details.\n"
)


def _log(*lines: str) -> str:
    return WRAPPED + CHECKSUM_NOISE + "[ERROR] Traceback (most recent call last):\n" + "\n".join(lines) + "\n"


def test_a_timeout_is_reported_as_a_timeout_not_as_changed_cells():
    """Does a cell that could not be interrupted come out as a time limit, although the log mentions checksums?"""
    message = explain_failure(_log(
        "    nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 5 seconds.",
    ))
    assert "Zeitlimit" in message
    assert "Geschützte Zellen" not in message


def test_a_lost_kernel_is_named():
    """Does a kernel that died (e.g. at the sandbox's process limit) get its own reason?"""
    assert "abgestürzt" in explain_failure(_log("[ERROR] Error occurred while starting new kernel client for kernel "
                                                "a9: Kernel died before replying to kernel_info"))
    assert "abgestürzt" in explain_failure(_log("    nbclient.exceptions.DeadKernelError: Kernel died"))


def test_a_damaged_notebook_is_named():
    """Is a notebook that is not JSON reported as damaged, an invalid one as invalid?"""
    assert "beschädigt" in explain_failure(_log(
        "    json.decoder.JSONDecodeError: Expecting value: line 1 column 13 (char 12)",
        "    nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{\"cells\": [ kaputt'",
    ))
    assert "kein gültiges Format" in explain_failure(_log(
        "    jsonschema.exceptions.ValidationError: 'cells' is a required property"))


def test_a_sandbox_failure_names_the_sandbox():
    """Does a submission whose sandbox could not be set up say so, with the reason?"""
    message = explain_failure(_log(f"    RuntimeError: {SANDBOX_FAILED} (3 Prozesse der vorigen Abgabe ließen sich "
                                   "nicht beenden)"))
    assert message.startswith(SANDBOX_FAILED)
    assert "3 Prozesse" in message


def test_an_unknown_failure_shows_the_real_exception_not_the_wrapper():
    """Does an unexpected error show its own class and text instead of nbgrader's 'see the above traceback'?"""
    message = explain_failure(_log("    PermissionError: [Errno 13] Permission denied: '/x'"))
    assert "PermissionError" in message
    assert "above traceback" not in message

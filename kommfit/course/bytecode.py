"""Precompile the Python inside the browser edition's archives (the standard library zip and the wheels) to bytecode.

Why: Pyodide's npm package ships its standard library as source, and PyPI's pure wheels are source too, so every kernel
start in the browser compiled the standard library, IPython and traitlets anew — most of the kernel's start-up, on
every visit, because a browser keeps no ``__pycache__``. Compiled once when the site is built, that work is gone.

Bytecode belongs to one Python version (its magic number), so the build runs this module inside the site's own Pyodide
under node (``lite/run-in-pyodide.mjs``); it therefore uses nothing but the standard library. Each ``x.py`` becomes
``x.pyc`` in its place — the layout that zipimport and sourceless imports read, as Pyodide's own build does for its
packages — with an unchecked-hash header (PEP 552): no timestamp to compare, the same bytes for the same source. A file
that does not compile stays as it is. A wheel's RECORD is rewritten to list the files the wheel now holds.

Usage (inside Pyodide): ``bytecode.py ARCHIVE...`` — each archive is rewritten in place.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import marshal
import sys
import warnings
import zipfile
from pathlib import Path

UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, never checked against a source


def bytecode(source: bytes, filename: str) -> bytes | None:
    """The .pyc file for ``source`` as this interpreter writes it; None when it does not compile here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in old test files: not ours to report
            code = compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    flags = UNCHECKED_HASH.to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def compiled_name(name: str) -> str | None:
    """``pkg/mod.py`` → ``pkg/mod.pyc`` for code files; None for metadata and data inside a wheel."""
    first = name.split("/", 1)[0]
    if not name.endswith(".py") or first.endswith((".dist-info", ".data")):
        return None
    return name + "c"


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def compile_archive(path: Path) -> int:
    """Rewrite the zip or wheel at ``path`` with bytecode in place of source; returns how many files were compiled."""
    entries: list[tuple[zipfile.ZipInfo, bytes]] = []
    compiled = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            target = compiled_name(info.filename)
            code = bytecode(data, info.filename) if target else None
            if code is not None:
                info = zipfile.ZipInfo(target, date_time=info.date_time)
                info.external_attr = 0o100644 << 16
                data, compiled = code, compiled + 1
            info.compress_type = zipfile.ZIP_DEFLATED
            entries.append((info, data))
    record = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(".dist-info/RECORD")]
    if record:
        (index,) = record
        name = entries[index][0].filename
        lines = [record_line(info.filename, data) for info, data in entries
                 if info.filename != name and not info.is_dir()]
        entries[index] = (entries[index][0], ("\n".join([*lines, f"{name},,"]) + "\n").encode())
    write_archive(path, entries)
    return compiled


def write_archive(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
    """Replace the archive at ``path`` by one holding ``entries``, with the same permissions; written beside it
    first, so that a failure leaves the old archive whole."""
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    temporary.chmod(path.stat().st_mode & 0o777)
    temporary.replace(path)


def main(paths: list[str]) -> int:
    for name in paths:
        print(f"{Path(name).name}: {compile_archive(Path(name))} Dateien vorübersetzt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

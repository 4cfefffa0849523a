"""The browser edition's archives are precompiled to bytecode (kommfit/course/bytecode.py). The build runs it inside
Pyodide; here it runs in this Python, which proves the same things: what is imported afterwards is the bytecode, the
wheel's RECORD is right, a file that does not compile stays source, and the same input gives the same bytes."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile

from kommfit.course.bytecode import compile_archive

FILES = {
    "paket/__init__.py": "WERT = 'aus dem Paket'\n",
    "paket/modul.py": "def gruss():\n    return 'Guten Tag'\n",
    "paket/alt.py": "print 'Python 2'\n",  # does not compile: stays as source
    "paket/daten.txt": "keine Python-Datei\n",
    "paket-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: paket\nVersion: 1.0\n",
    "paket-1.0.dist-info/RECORD": "",
}


def make_archive(path):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0)), text)
    return path


def test_a_wheel_holds_bytecode_instead_of_source_and_a_true_record(tmp_path):
    wheel = make_archive(tmp_path / "paket-1.0-py3-none-any.whl")
    assert compile_archive(wheel) == 2
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert names == {"paket/__init__.pyc", "paket/modul.pyc", "paket/alt.py", "paket/daten.txt",
                         "paket-1.0.dist-info/METADATA", "paket-1.0.dist-info/RECORD"}
        record = archive.read("paket-1.0.dist-info/RECORD").decode().splitlines()
        for line in record:
            name, digest, size = line.split(",")
            if name.endswith("RECORD"):
                assert digest == size == ""
                continue
            data = archive.read(name)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)
        assert len(record) == len(names)


def test_what_is_imported_from_a_compiled_archive_is_its_bytecode(tmp_path):
    archive = make_archive(tmp_path / "bibliothek.zip")
    compile_archive(archive)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import paket, paket.modul; "
             "print(paket.WERT, paket.modul.gruss(), paket.modul.__file__.endswith('.pyc'))")
    result = subprocess.run([sys.executable, "-c", probe, str(archive)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "aus dem Paket Guten Tag True"
    assert result.stderr == ""


def test_the_same_archive_compiles_to_the_same_bytes(tmp_path):
    first, second = make_archive(tmp_path / "a.zip"), make_archive(tmp_path / "b.zip")
    compile_archive(first)
    compile_archive(second)
    assert first.read_bytes() == second.read_bytes()

"""`kommfit lite --profile`: a broken profile is reported in German and nothing is built (the real build with a
profile runs in tests/lite/test_site.py)."""

from __future__ import annotations

from kommfit.app.cli import main as kommfit


def test_a_broken_profile_builds_nothing(tmp_path, capsys):
    profile = tmp_path / "kurs.toml"
    profile.write_text('[firma]\nname = "Ohne Rest"\n', encoding="utf-8")
    site = tmp_path / "site"
    assert kommfit(["lite", "--profile", str(profile), "--ausgabe", str(site)]) != 0
    assert "Fehler:" in capsys.readouterr().err
    assert not site.exists()

"""book/_ext/local_mathjax.py: MathJax를 CDN 없이 책과 함께 배포한다."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from sphinx.errors import ConfigError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import local_mathjax  # noqa: E402


def test_find_es5_has_the_bundle() -> None:
    es5 = local_mathjax.find_es5()
    assert (es5 / "tex-chtml.js").stat().st_size > 500_000


def test_stage_copies_only_needed_parts(tmp_path: Path) -> None:
    root = local_mathjax.stage(local_mathjax.find_es5(), tmp_path)
    es5 = root / "mathjax" / "es5"
    assert (es5 / "tex-chtml.js").is_file()
    assert any((es5 / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert (es5 / "input" / "tex" / "extensions" / "boldsymbol.js").is_file()
    assert not (es5 / "sre").exists()  # 음성 읽기용 큰 파일은 빼 둔다
    total = sum(p.stat().st_size for p in es5.rglob("*") if p.is_file())
    assert total < 8_000_000
    # 두 번 불러도(다시 빌드해도) 문제없다
    local_mathjax.stage(local_mathjax.find_es5(), tmp_path)


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="django-static-mathjax"):
        local_mathjax.find_es5()


def test_built_pages_use_the_local_copy() -> None:
    page = Path(__file__).resolve().parents[1] / "_config.yml"
    assert "local_mathjax" in page.read_text(encoding="utf-8")
    assert local_mathjax.MATHJAX_PATH.startswith("mathjax/") and "://" not in local_mathjax.MATHJAX_PATH

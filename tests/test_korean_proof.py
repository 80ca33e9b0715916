"""book/_ext/korean_proof.py: 증명의 머리말이 영어 'Proof.'가 아니라 '증명.'으로 나온다."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

EXT_DIR = Path(__file__).resolve().parents[1] / "book" / "_ext"


def _build(tmp_path: Path, extensions: list[str]) -> str:
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT_DIR)!r})\n"
        f"extensions = {extensions!r}\nlanguage = 'ko'\nhtml_theme = 'basic'\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "증명\n====\n\n.. prf:theorem:: 합성\n   :label: thm-a\n\n   선형 사상의 합성은 선형입니다.\n\n"
        ".. prf:proof::\n\n   정의를 차례로 확인합니다.\n",
        encoding="utf-8",
    )
    app = Sphinx(
        str(src), str(src), str(tmp_path / "out"), str(tmp_path / "dt"), "html",
        status=None, warning=StringIO(), freshenv=True,
    )  # fmt: skip
    app.build()
    assert app.statuscode == 0
    return (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_proof_heading_is_korean(tmp_path: Path) -> None:
    html = _build(tmp_path, ["sphinx_proof", "korean_proof"])
    assert "증명." in html and "Proof." not in html
    assert "정의를 차례로 확인합니다." in html
    assert 'class="proof admonition"' in html or 'class="proof proof admonition"' in html


def test_stock_sphinx_proof_is_english(tmp_path: Path) -> None:
    # 음성 대조: 이 확장이 없으면 영어 머리말이 나온다 (그래서 확장이 필요하다).
    assert "Proof." in _build(tmp_path, ["sphinx_proof"])

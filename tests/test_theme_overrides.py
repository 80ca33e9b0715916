"""테마 덮어쓰기와 접근성 보정 확장이 의도한 만큼만 바꾸는지 확인한다."""

from __future__ import annotations

import sys
from pathlib import Path

import pydata_sphinx_theme

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import a11y_fixes  # noqa: E402


def test_webpack_macros_is_theme_copy_without_fontawesome() -> None:
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    original = (theme / "webpack-macros.html").read_text(encoding="utf-8").splitlines()
    ours = (
        (ROOT / "book" / "_templates" / "static" / "webpack-macros.html")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    expected = [
        line
        for line in original
        if "fontawesome.js" not in line and "So that users can add custom icons" not in line
    ]
    # 테마를 올려서 이 파일이 달라졌다면 새 파일을 다시 복사하고 fontawesome.js 줄만 지우세요.
    assert ours == expected
    assert len(original) - len(ours) == 2


def test_citation_role_is_replaced_only_in_body() -> None:
    context = {"body": '<div role="doc-biblioentry">a</div><div role="doc-biblioentry">b</div>', "title": "x"}
    a11y_fixes.fix_citation_roles(None, "ref", "page.html", context, None)  # type: ignore[arg-type]
    assert context["body"].count('role="listitem"') == 2 and "doc-biblioentry" not in context["body"]
    untouched = {"body": "<p>본문</p>"}
    a11y_fixes.fix_citation_roles(None, "p", "page.html", untouched, None)  # type: ignore[arg-type]
    assert untouched["body"] == "<p>본문</p>"

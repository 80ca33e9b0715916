"""book/_ext/glossary_table.py 테스트: 작은 Sphinx 프로젝트를 실제로 빌드해 용어집 표를 확인한다."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXT_DIR = ROOT / "book" / "_ext"

ENTRIES = [
    {
        "ko": "편향",
        "en": "bias",
        "definition": "가중합에 더하는 상수입니다.",
        "avoid": ["바이어스"],
        "section": "sec-a",
    },
    {"ko": "가중치", "en": "weight", "definition": "입력에 곱하는 값입니다.", "avoid": [], "section": None},
]


def build(tmp_path: Path, entries: object) -> tuple[int, str, str]:
    """용어집 YAML과 표 지시문이 있는 프로젝트를 빌드해 (종료 코드, 경고, index.html)을 돌려준다."""
    from io import StringIO

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['glossary_table']\n"
        "glossary_table_file = 'data/gloss.yml'\n"
        "language = 'ko'\n"
        "html_theme = 'basic'\n",
        encoding="utf-8",
    )
    (src / "data").mkdir()
    (src / "data" / "gloss.yml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    (src / "index.rst").write_text(
        ".. _sec-a:\n\n가 절\n=====\n\n본문입니다.\n\n용어집\n------\n\n.. glossary-table::\n",
        encoding="utf-8",
    )
    warnings = StringIO()
    app = Sphinx(
        str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
        status=None, warning=warnings, freshenv=True,
    )  # fmt: skip
    app.build()
    html_path = tmp_path / "out" / "index.html"
    html = html_path.read_text(encoding="utf-8") if html_path.exists() else ""
    # 같은 프로세스에서 앞서 만든 Sphinx 앱이 노드를 등록해 두었으면 나오는 경고는 이 확장과 무관하다.
    relevant = "\n".join(
        line for line in warnings.getvalue().splitlines() if "is already registered" not in line
    )
    return app.statuscode, relevant, html


def test_table_renders_links_and_null_sections(tmp_path: Path) -> None:
    code, warnings, html = build(tmp_path, ENTRIES)
    assert code == 0 and not warnings.strip(), warnings
    table = re.search(r"<table[^>]*glossary-table.*?</table>", html, re.DOTALL)
    assert table, "용어집 표가 없습니다"
    rows = re.findall(r"<tr.*?</tr>", table.group(0), re.DOTALL)
    assert len(rows) == 1 + len(ENTRIES)
    # 한국어 가나다순: 가중치가 편향보다 먼저
    assert rows[1].find("가중치") != -1 and rows[2].find("편향") != -1
    assert 'href="#sec-a"' in rows[2]  # 레이블로 가는 링크(제목으로 표시)
    assert "가 절" in rows[2]
    assert "href" not in rows[1] and "—" in rows[1]  # section이 null이면 링크 없음


def test_missing_label_is_a_warning(tmp_path: Path) -> None:
    entries = [dict(ENTRIES[0], section="sec-nowhere")]
    _, warnings, _ = build(tmp_path, entries)
    assert "undefined label" in warnings and "sec-nowhere" in warnings


@pytest.mark.parametrize(
    ("entries", "needle"),
    [
        ([ENTRIES[0], dict(ENTRIES[0])], "겹칩니다"),
        ([{k: v for k, v in ENTRIES[0].items() if k != "en"}], "en"),
        ({"ko": "편향"}, "목록"),
    ],
)
def test_bad_glossary_is_reported(tmp_path: Path, entries: object, needle: str) -> None:
    _, warnings, _ = build(tmp_path, entries)
    assert "용어집" in warnings and needle in warnings, warnings

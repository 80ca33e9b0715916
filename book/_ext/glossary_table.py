"""용어집 표 지시문 ``{glossary-table}``.

``book/_data/glossary.yml``(설정값 ``glossary_table_file``, 책 원본 폴더 기준)을 읽어
한국어 용어 · 영어 용어 · 정의 · 처음 나온 곳 네 열의 표를 만든다.

- ``section``이 레이블이면 그 레이블로 가는 ``pending_xref``(std:ref)를 넣는다. Sphinx가 절 제목으로
  바꿔 주고, 레이블이 책에 없으면 "undefined label" 경고를 낸다(``-W``에서는 빌드 실패).
- ``section``이 null이면 링크 없이 "—"를 쓴다. 아직 목차에 없는 장의 용어는 null로 둔다.
- YAML 형식이 틀리면(필수 키가 없거나 ko가 겹치면) 지시문 오류로 보고한다.

사용법::

    ```{glossary-table}
    ```

선택 항목 ``:file:``로 다른 YAML 파일(원본 폴더 기준 경로)을 줄 수 있다.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

REQUIRED_KEYS: tuple[str, ...] = ("ko", "en", "definition", "avoid", "section")
OPTIONAL_KEYS: tuple[str, ...] = ("note",)
HEADERS: tuple[str, ...] = ("한국어", "영어", "정의", "처음 나온 곳")
COL_WIDTHS: tuple[int, ...] = (16, 20, 48, 16)


def validate_entries(data: Any) -> list[str]:
    """용어집 데이터의 형식 오류를 한국어 문장 목록으로 돌려준다. 빈 목록이면 올바르다."""
    if not isinstance(data, list) or not data:
        return ["용어집은 항목이 하나 이상인 YAML 목록이어야 합니다."]
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(data, start=1):
        where = f"{i}번째 항목"
        if not isinstance(entry, dict):
            problems.append(f"{where}: 사전(키: 값)이어야 합니다.")
            continue
        if isinstance(entry.get("ko"), str):
            where = f"{i}번째 항목({entry['ko']})"
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            problems.append(f"{where}: 필수 키 {', '.join(missing)}가 없습니다.")
        unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
        if unknown:
            problems.append(f"{where}: 알 수 없는 키 {', '.join(map(str, unknown))}가 있습니다.")
        for key in ("ko", "en", "definition"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                problems.append(f"{where}: {key}는 비어 있지 않은 문자열이어야 합니다.")
        avoid = entry.get("avoid", [])
        if "avoid" in entry and not (
            isinstance(avoid, list) and all(isinstance(a, str) and a for a in avoid)
        ):
            problems.append(f"{where}: avoid는 비어 있지 않은 문자열의 목록이어야 합니다.")
        section = entry.get("section")
        if section is not None and not (isinstance(section, str) and section.startswith("sec-")):
            problems.append(f"{where}: section은 'sec-'로 시작하는 레이블이거나 null이어야 합니다.")
        ko = entry.get("ko")
        if isinstance(ko, str):
            if ko in seen:
                problems.append(f"{where}: 한국어 용어 '{ko}'가 {seen[ko]}번째 항목과 겹칩니다.")
            else:
                seen[ko] = i
    return problems


def load_glossary(path: Path) -> list[dict[str, Any]]:
    """용어집 YAML을 읽고 검사한다. 형식이 틀리면 ValueError(한국어 메시지)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = validate_entries(data)
    if problems:
        raise ValueError(f"용어집 파일 {path.name}의 형식이 틀렸습니다: " + " / ".join(problems))
    return data


def _paragraph_cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph("", "", *children)
    return entry


class GlossaryTable(SphinxDirective):
    """용어집 YAML을 표로 그리는 지시문."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0
    option_spec = {"file": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        rel = self.options.get("file") or self.config.glossary_table_file
        path = Path(self.env.srcdir) / rel
        if not path.is_file():
            raise self.error(f"용어집 파일을 찾을 수 없습니다: {rel}")
        self.env.note_dependency(str(path))
        try:
            entries = load_glossary(path)
        except (ValueError, yaml.YAMLError) as exc:
            raise self.error(str(exc)) from exc
        entries = sorted(entries, key=lambda e: e["ko"])

        table = nodes.table(classes=["glossary-table", "colwidths-given"])
        tgroup = nodes.tgroup(cols=len(HEADERS))
        table += tgroup
        for width in COL_WIDTHS:
            tgroup += nodes.colspec(colwidth=width)
        thead = nodes.thead()
        header_row = nodes.row()
        for title in HEADERS:
            header_row += _paragraph_cell(nodes.Text(title))
        thead += header_row
        tgroup += thead

        tbody = nodes.tbody()
        for entry in entries:
            row = nodes.row()
            row += _paragraph_cell(nodes.strong(entry["ko"], entry["ko"]))
            row += _paragraph_cell(nodes.Text(entry["en"]))
            row += _paragraph_cell(nodes.Text(entry["definition"]))
            row += self._section_cell(entry["section"])
            tbody += row
        tgroup += tbody
        self.set_source_info(table)
        return [table]

    def _section_cell(self, label: str | None) -> nodes.entry:
        if label is None:
            return _paragraph_cell(nodes.Text("—"))
        xref = addnodes.pending_xref(
            "",
            nodes.inline(label, label),
            refdomain="std",
            reftype="ref",
            reftarget=label,
            refexplicit=False,
            refwarn=True,
            refdoc=self.env.docname,
        )
        self.set_source_info(xref)
        return _paragraph_cell(xref)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("glossary_table_file", "book/_data/glossary.yml", "env", [str])
    app.add_directive("glossary-table", GlossaryTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

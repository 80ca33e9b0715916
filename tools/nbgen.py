"""노트북을 파이썬 스크립트로 적어 만드는 작은 도구 (tools/make_*.py가 쓴다).

book = NotebookBuilder()
book.md("# 제목")
book.code("print(1)", tags=["hide-input"], caption="그림 설명", alt="대체 텍스트", name="fig-x")
book.write(ROOT / "book" / "part3" / "x.ipynb")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


class NotebookBuilder:
    """셀을 차례로 모아 kernelspec이 python3인 노트북으로 쓴다."""

    def __init__(self) -> None:
        self.cells: list[Any] = []

    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(text.strip("\n")))

    def code(
        self,
        text: str,
        *,
        tags: list[str] | None = None,
        caption: str | None = None,
        alt: str | None = None,
        name: str | None = None,
    ) -> None:
        """코드 셀. caption/alt는 MyST-NB의 셀 메타데이터(mystnb.figure / mystnb.image)로 들어간다."""
        cell = new_code_cell(text.strip("\n"))
        if tags:
            cell.metadata["tags"] = tags
        if caption or alt:
            mystnb: dict[str, Any] = {}
            if caption:
                mystnb["figure"] = {"caption": caption, "name": name}
            if alt:
                mystnb["image"] = {"alt": alt}
            cell.metadata["mystnb"] = mystnb
        self.cells.append(cell)

    def write(self, path: Path) -> Path:
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.write(nb, path)
        return path

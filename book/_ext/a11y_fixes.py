"""접근성 보정: docutils가 참고 문헌 항목에 붙이는 role="doc-biblioentry"를 목록 항목 역할로 바꾼다.

axe-core는 ``doc-biblioentry``(ARIA 1.3에서 폐지)를 가진 항목이 목록 안에 있지 않다고 보아
``aria-required-children``(심각) 위반으로 알린다. 참고 문헌 페이지의 본문에서만 바꾼다.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def fix_citation_roles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", fix_citation_roles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

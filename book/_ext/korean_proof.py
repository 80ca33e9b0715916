"""sphinx-proof의 증명(prf:proof)이 본문 앞에 영어 "Proof. "를 박아 넣는 것을 "증명."으로 바꾼다.

sphinx-proof 0.4는 정리·정의 제목은 번역하지만 증명 머리말은 ``"{}. ".format(realtyp.title())``로
고정해 두었다. 같은 지시어를 한국어 머리말로 다시 등록한다.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_proof.directive import ProofDirective
from sphinx_proof.nodes import proof_node

PREFIX = "**증명.** "


class KoreanProofDirective(ProofDirective):
    """prf:proof와 같지만 머리말이 '증명.'인 지시어."""

    def run(self) -> list[nodes.Node]:
        classes = ["proof", "proof"]
        classes.extend(self.options.get("class", []))
        section = nodes.admonition(classes=classes, ids=["proof"])
        if self.content:
            self.content[0] = PREFIX + self.content[0]
        self.state.nested_parse(self.content, 0, section)
        node = proof_node()
        node += section
        return [node]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_proof")
    app.add_directive_to_domain("prf", "proof", KoreanProofDirective, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

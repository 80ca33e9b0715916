"""독자용 노트북 변환기(tools/reader_notebooks.py) 검사.

모든 장을 실제로 변환해 MyST 문법이 하나도 남지 않았는지, 본문의 glue 숫자가 모두 제 값으로 들어갔는지,
해답이 접혀 있는지, 위젯 보기가 지워졌는지 확인한다. glue 값은 tests/nbdata.py로 따로 읽어 파이썬
``format``으로 다시 만든 글자와 비교한다.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import reader_notebooks as rn  # noqa: E402
from nbdata import glued  # noqa: E402

CHAPTERS = [str(p.relative_to(ROOT)) for p in rn.chapter_notebooks(ROOT)]
GLUE_RE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
MYST_LEFTOVERS = [
    re.compile(r"\{[A-Za-z][\w:.+-]*\}`"),  # 역할
    re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.M),  # 지시어
    re.compile(r"^\s*\([A-Za-z][^()\s]*\)=\s*$", re.M),  # 이름표
    re.compile(r"\$\$\s*\([A-Za-z][^()\s]*\)\s*$", re.M),  # 식 이름표
    re.compile(r"^\s*:(label|class|nonumber):", re.M),  # 지시어 옵션
]


@pytest.fixture(scope="module")
def converter() -> rn.Converter:
    return rn.Converter(ROOT, baseurl="https://example.org/book/")


def _md(nb: dict) -> str:
    return "\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


def _source_md(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _expected(value: object, fmt: str) -> str:
    if not fmt:
        return str(value)
    if fmt[-1] in "eEfFgG%":
        return format(float(value), fmt)  # type: ignore[arg-type]
    if fmt[-1] == "d":
        return format(int(value), fmt)  # type: ignore[call-overload]
    return format(value, fmt)


@pytest.mark.parametrize("relpath", CHAPTERS)
def test_chapter_has_no_myst_syntax_and_every_glued_number(converter: rn.Converter, relpath: str) -> None:
    src = json.loads((ROOT / relpath).read_text(encoding="utf-8"))
    out = converter.convert_notebook(src, relpath.removesuffix(".ipynb"))
    text = _md(out)
    for pat in MYST_LEFTOVERS:
        found = pat.findall(text)
        assert not found, f"{relpath}: MyST 문법이 남았습니다: {found[:3]}"
    assert "{glue" not in text
    values = glued(relpath)
    refs = GLUE_RE.findall(_source_md(src))
    assert refs, f"{relpath}: glue 참조가 하나도 없습니다"
    # 셀마다: 원본 셀의 모든 glue 값이 변환된 글에 들어 있어야 한다
    for name, fmt in refs:
        assert name in values, f"{relpath}: glue 이름 {name}이 저장된 출력에 없습니다"
        assert _expected(values[name], fmt) in text, f"{relpath}: {name}:{fmt} 값이 글에 없습니다"


@pytest.mark.parametrize("relpath", CHAPTERS)
def test_solutions_are_folded_and_widgets_stripped(converter: rn.Converter, relpath: str) -> None:
    src = json.loads((ROOT / relpath).read_text(encoding="utf-8"))
    out = converter.convert_notebook(src, relpath.removesuffix(".ipynb"))
    n_solutions = _source_md(src).count("{solution-start}") + _source_md(src).count("{solution}")
    md_cells = [c for c in out["cells"] if c["cell_type"] == "markdown"]
    summaries = re.findall(r"<summary><b>(해답[^<(]*?)(?: \(이어서\))?</b></summary>", _md(out))
    assert len(set(summaries)) == n_solutions
    for c in out["cells"]:
        if c["cell_type"] == "code" and "# @title 해답" in "".join(c["source"]):
            assert c["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        for o in c.get("outputs", []):
            assert rn.WIDGET_VIEW not in o.get("data", {})
    assert "widgets" not in out["metadata"]
    # 해답 글은 모두 닫힌 <details> 안에 있다: 여는 태그와 닫는 태그의 수가 같고, 펼친 채로 두지 않는다
    for c in md_cells:
        assert c["source"].count("<details>") == c["source"].count("</details>")
        assert "<details open" not in c["source"]


def test_convert_all_writes_every_chapter(tmp_path: Path) -> None:
    html = tmp_path / "html"
    src_dir = html / "_sources" / "book" / "part1"
    src_dir.mkdir(parents=True)
    (src_dir / "linear_regression.ipynb").write_text("{}", encoding="utf-8")
    written = rn.convert_all(ROOT, tmp_path / "reader", html)
    assert len(written) == len(CHAPTERS)
    assert (tmp_path / "reader" / "part1" / "linear_regression.ipynb").exists()
    replaced = json.loads((src_dir / "linear_regression.ipynb").read_text(encoding="utf-8"))
    assert "{glue" not in _md(replaced)
    assert not (html / "_sources" / "book" / "part2").exists()  # 없는 폴더는 만들지 않는다


# --- 작은 단위 검사 ------------------------------------------------------------------------------
GLUE = {
    "n": {"text/plain": "4"},
    "x": {"text/plain": "np.float64(44.5)"},
    "big": {"text/plain": "1000"},
    "s": {"text/plain": "'문자열'"},
    "tex": {"text/plain": "0.5", "text/latex": "\\frac{1}{2}"},
}


def test_render_glue_known_and_unknown_variants() -> None:
    assert rn.render_glue("glue:text", "x:.1f", {"x": {"text/plain": "44.5"}}) == "44.5"
    assert rn.render_glue("glue:text", "n", GLUE) == "4"
    assert rn.render_glue("glue:text", "s", GLUE) == "문자열"
    assert rn.render_glue("glue:text", "other.ipynb::n:d", GLUE) == "4"
    assert rn.render_glue("glue:math", "tex", GLUE) == "$\\frac{1}{2}$"
    # 조사가 붙은 모르는 변형: 값의 끝소리에 맞춰 고른다
    assert rn.render_glue("glue:josa", "n:d|이", GLUE) == "4가"
    assert rn.render_glue("glue:text", "big:d:을/를", GLUE) == "1000을"
    assert rn.render_glue("glue:particle", "n:d 은(는)", GLUE) == "4는"
    with pytest.raises(rn.MissingGlueError):
        rn.render_glue("glue:text", "missing:.1f", GLUE)


@pytest.mark.parametrize(
    ("text", "particle", "expected"),
    [
        ("4", "이", "4가"),
        ("1", "이", "1이"),
        ("44.5", "은", "44.5는"),
        ("9.5", "을", "9.5를"),
        ("−185", "이", "−185가"),
        ("1.997", "가", "1.997이"),
        ("16", "로", "16으로"),
        ("8", "(으)로", "8로"),
        ("7", "으로", "7로"),
        ("10", "을/를", "10을"),
        ("100", "과", "100과"),
        ("1,000", "는", "1,000은"),
        ("0", "이", "0이"),
        ("0.50", "을", "0.50을"),
        ("3", "와", "3과"),
        ("2", "와", "2와"),
        ("25%", "를", "25%를"),
        ("1e-07", "이", "1e-07이"),
        ("데이터", "을(를)", "데이터를"),
        ("층", "를", "층을"),
        ("ReLU", "는", "ReLU는"),
        ("XOR", "을", "XOR을"),
    ],
)
def test_attach_particle(text: str, particle: str, expected: str) -> None:
    assert rn.attach_particle(text, particle) == expected


def test_unknown_role_and_references(converter: rn.Converter) -> None:
    doc = "book/part1/linear_regression"
    r = converter.render_inline
    assert r("{term}`학습률`과 {kbd}`Shift`", {}, doc=doc) == "학습률과 `Shift`"
    assert r("{abbr}`MSE <평균 제곱 오차>`", {}, doc=doc) == "MSE"
    link = r("{ref}`sec-perceptron`", {}, doc=doc)
    assert link.startswith("[1.1 ") and link.endswith(
        "(https://example.org/book/book/part1/perceptron.html#sec-perceptron)"
    )
    assert r("{ref}`앞 절 <sec-perceptron>`", {}, doc=doc).startswith("[앞 절](")
    assert r("{doc}`../part2/mlp`", {}, doc=doc).endswith("(https://example.org/book/book/part2/mlp.html)")
    # 식 번호는 온라인 책처럼 목차 순서로 책 전체에 이어 붙인다: 앞 문서들의 이름표 달린 식 수 + 이 문서 안의 순서
    n = _equation_number_by_counting("eq-lr-mse")
    assert r("{eq}`eq-lr-mse`", {}, doc=doc) == f"({n})"
    assert r("{eq}`eq-lr-mse`", {}, doc="book/part2/mlp").startswith(f"[식 ({n})](")
    assert r("{cite}`rosenblatt1958perceptron`", {}, doc=doc).startswith("([Rosenblatt, 1958](")
    assert r("{cite:t}`minsky1969perceptrons`", {}, doc=doc).startswith("[Minsky & Papert(1969)](")
    assert r("{ref}`no-such-label`", {}, doc=doc) == "no-such-label"
    # 인라인 코드 안의 역할 모양은 그대로 둔다
    assert r("`{glue:text}` 역할", {}, doc=doc) == "`{glue:text}` 역할"


def _equation_number_by_counting(label: str) -> int:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    seen = 0
    for f in files:
        path = next(p for p in (ROOT / f"{f}.ipynb", ROOT / f"{f}.md") if p.exists())
        text = _source_md(json.loads(path.read_text())) if path.suffix == ".ipynb" else path.read_text()
        for m in re.finditer(r"\$\$\s*\(([^()\s]+)\)\s*$", text, re.M):
            seen += 1
            if m.group(1) == label:
                return seen
    raise AssertionError(label)


def test_html_numbers_match_when_built(converter: rn.Converter) -> None:
    """책을 빌드해 두었다면, 빌드된 HTML의 연습·식 번호가 독자용 노트북과 같다."""
    page = ROOT / "_build" / "html" / "book" / "part1" / "linear_regression.html"
    if not page.exists():
        pytest.skip("책이 빌드되지 않았습니다 (make book)")
    html = page.read_text(encoding="utf-8")
    src = json.loads((ROOT / "book/part1/linear_regression.ipynb").read_text(encoding="utf-8"))
    out = _md(converter.convert_notebook(src, "book/part1/linear_regression"))
    online = sorted(set(re.findall(r"연습 (\d+)", html)), key=int)
    assert online and online == sorted(set(re.findall(r"\*\*연습 (\d+)", out)), key=int)
    eqno = re.search(r'id="equation-eq-lr-mse".*?eqno">\((\d+)\)', html, re.S)
    assert eqno and f"\\tag{{{eqno.group(1)}}}" in out


def test_directives_to_markdown(converter: rn.Converter) -> None:
    nb = {
        "metadata": {"widgets": {"x": 1}},
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "(sec-a)=\n# 제목\n\n값은 {glue:text}`n`입니다.",
            },
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ":::{note}\n본문\n:::\n\n```{exercise} 문제\n:label: ex-a\n\n풀어 보세요.\n```",
            },
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "```{solution-start} ex-a\n:class: dropdown\n```\n해답 글",
            },
            {
                "cell_type": "code",
                "metadata": {},
                "source": "print(1)",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/html": "<p>x</p>", rn.WIDGET_VIEW: {"model_id": "abc"}},
                    }
                ],
            },
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "이어지는 해답\n```{solution-end}\n```\n해답 밖",
            },
            {
                "cell_type": "code",
                "metadata": {},
                "source": "from myst_nb import glue\nglue('n', 4, display=False)",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {
                            "scrapbook": {"name": "n", "mime_prefix": "application/papermill.record/"}
                        },
                        "data": {"application/papermill.record/text/plain": "4"},
                    }
                ],
            },
        ],
    }
    out = converter.convert_notebook(nb, "book/part9/x")
    texts = ["".join(c["source"]) for c in out["cells"]]
    assert texts[1] == "# 제목\n\n값은 4입니다."
    assert texts[2] == "> **참고**\n>\n> 본문\n\n**연습 1 (문제)**\n\n풀어 보세요."
    assert texts[3].startswith("<details>\n<summary><b>해답: 연습 1</b></summary>") and "해답 글" in texts[3]
    assert out["cells"][4]["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert out["cells"][4]["outputs"][0]["data"] == {"text/html": "<p>x</p>"}
    assert "(이어서)" in texts[5] and "이어지는 해답" in texts[5]
    assert texts[6] == "해답 밖"
    assert "except ImportError" in texts[7]
    assert "widgets" not in out["metadata"]


def test_book_particle_rule_is_used_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """책에 d2lutil/korean.py(조사 규칙)가 있으면 {glue:josa}와 같은 규칙을 쓴다."""
    (tmp_path / "d2lutil").mkdir()
    (tmp_path / "d2lutil" / "korean.py").write_text(
        "def particle_for(value_text, particle):\n"
        "    if particle == '모름/모름':\n        raise ValueError('모름')\n"
        "    return '[' + particle + ']'\n",
        encoding="utf-8",
    )
    monkeypatch.delitem(sys.modules, "_reader_book_korean", raising=False)
    monkeypatch.setattr(rn, "ROOT", tmp_path)
    assert rn.attach_particle("4", "이/가") == "4[이/가]"
    assert rn.attach_particle("4", "모름/모름") == "4모름/모름"  # 책 규칙이 모르면 이 도구의 규칙으로
    monkeypatch.delitem(sys.modules, "_reader_book_korean", raising=False)


def test_final_sound_edge_cases() -> None:
    assert rn._final_sound("") is None
    assert rn._final_sound("→") is None
    assert rn.attach_particle("→", "은") == "→은(는)"
    assert rn.attach_particle("x", "께서") == "x께서"


def test_main_writes_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert rn.main(["--out", str(tmp_path)]) == 0
    assert "독자용 노트북" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.rglob("*.ipynb")) == sorted(Path(c).name for c in CHAPTERS)

"""본문 글 검사: 굵은 글씨 함정, 용어집의 '피할 표현', 용어집 파일 형식.

검사 대상은 book/ 아래의 .md 파일과 노트북의 Markdown 셀이다 (book/_*/ 폴더와 체크포인트 제외).
코드 블록(```python 등)과 인라인 코드(`…`)는 검사하지 않는다. MyST 지시문(```{exercise} 등)의 본문은
글이므로 검사한다.

(a) 굵은 글씨 함정: ``**은닉층(hidden layer)**은``처럼 굵은 글씨가 문장 부호로 끝나고 바로 뒤에 글자(조사)가
    오면 CommonMark에서 닫는 ``**``로 인정되지 않아 별표가 그대로 보인다. ``**은닉층**(hidden layer)은``으로
    쓰십시오.
(b) 피할 표현: book/_data/glossary.yml의 각 용어의 ``avoid`` 목록(예: 히든 레이어, 바이어스)이 본문에 나오면
    실패한다. 괄호 안의 사용은 허용한다: ``편향(bias, 바이어스)``.
(c) 용어집 형식: 필수 키, 한국어 용어 중복, 레이블 모양, 정의 안의 피할 표현, 레이블이 책에 있는지.
"""

from __future__ import annotations

import importlib.util
import json
import re
import string
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
GLOSSARY = BOOK / "_data" / "glossary.yml"


def _load_glossary_ext() -> ModuleType:
    spec = importlib.util.spec_from_file_location("glossary_table", BOOK / "_ext" / "glossary_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("glossary_table", module)
    spec.loader.exec_module(module)
    return module


gt = _load_glossary_ext()


# --- 글 모으기 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """검사할 글 한 줄: 어느 파일(노트북이면 셀 번호까지)의 몇째 줄인지와 내용."""

    where: str
    lineno: int
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.lineno}: {self.text.strip()[:100]}"


FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$")
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def prose_lines(text: str, where: str) -> list[Line]:
    """Markdown 글에서 코드 블록을 빼고 인라인 코드를 지운 줄들을 돌려준다."""
    lines: list[Line] = []
    code_fence: str | None = None
    directives: list[str] = []  # 열려 있는 ```{지시문}의 울타리: 빈 ```는 코드를 여는 게 아니라 이것을 닫는다
    for lineno, raw in enumerate(text.splitlines(), 1):
        m = FENCE_RE.match(raw)
        if code_fence is not None:
            if (
                m
                and m.group(1)[0] == code_fence[0]
                and len(m.group(1)) >= len(code_fence)
                and not m.group(2).strip()
            ):
                code_fence = None
            continue
        if m:
            fence, info = m.group(1), m.group(2).strip()
            # ``` 뒤가 비었거나 언어 이름이면 코드 블록, {지시문}이면 글로 검사, ::: 는 항상 지시문
            if fence[0] == ":" or info.startswith("{"):
                if not info and directives and directives[-1][0] == fence[0]:
                    directives.pop()
                elif info:
                    directives.append(fence)
                    title = re.sub(r"^\{[^}]*\}\s*", "", info)  # ```{exercise} 제목 의 제목도 글이다
                    if title:
                        lines.append(Line(where, lineno, INLINE_CODE_RE.sub(" ", title)))
            elif (
                not info
                and directives
                and directives[-1][0] == fence[0]
                and len(fence) >= len(directives[-1])
            ):
                directives.pop()
            else:
                code_fence = fence
            continue
        lines.append(Line(where, lineno, INLINE_CODE_RE.sub(" ", raw)))
    return lines


def _is_private(path: Path) -> bool:
    rel = path.relative_to(BOOK).parts
    return any(part.startswith("_") or part == ".ipynb_checkpoints" for part in rel[:-1])


def book_prose() -> list[Line]:
    lines: list[Line] = []
    for path in sorted(BOOK.rglob("*.md")):
        if not _is_private(path):
            lines += prose_lines(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    for path in sorted(BOOK.rglob("*.ipynb")):
        if _is_private(path):
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"], 1):
            if cell["cell_type"] == "markdown":
                src = cell["source"]
                src = "".join(src) if isinstance(src, list) else src
                lines += prose_lines(src, f"{path.relative_to(ROOT)}[셀 {i}]")
    return lines


# --- (a) 굵은 글씨 함정 ---------------------------------------------------------------------------

BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _is_punct(ch: str) -> bool:
    """CommonMark의 문장 부호: ASCII 문장 부호나 유니코드 P*, S* 범주."""
    return ch in string.punctuation or unicodedata.category(ch)[0] in "PS"


def bold_traps(line: str) -> list[str]:
    """닫는 **가 문장 부호 뒤에 있고 바로 뒤에 글자·숫자가 붙은 굵은 글씨를 찾는다."""
    found = []
    for m in BOLD_RE.finditer(line):
        inner = m.group(1)
        after = line[m.end() : m.end() + 1]
        if _is_punct(inner[-1]) and after and after.isalnum():
            found.append(line[m.start() : m.end() + 3])
    return found


def test_bold_trap_in_book() -> None:
    bad = [f"{ln} → {trap!r}" for ln in book_prose() for trap in bold_traps(ln.text)]
    assert not bad, (
        "굵은 글씨가 문장 부호로 끝나고 바로 뒤에 글자가 붙어 별표가 그대로 보입니다. "
        "'**은닉층**(hidden layer)은'처럼 쓰십시오:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize(
    "text",
    [
        "**은닉층(hidden layer)**은 입력층과 출력층 사이에 있습니다.",
        "이것이 **편향(bias).**입니다",
        "**학습률 α!**를 줄입니다",
        "앞은 괜찮고 **가중치** 뒤는 **기울기(gradient)**가 문제",
    ],
)
def test_bold_trap_catches_planted_example(text: str) -> None:
    assert bold_traps(text), f"함정을 찾지 못했습니다: {text}"


@pytest.mark.parametrize(
    "text",
    [
        "**은닉층**(hidden layer)은 입력층과 출력층 사이에 있습니다.",
        "**은닉층(hidden layer)** 은 띄어 쓰면 괜찮습니다.",
        "**편향(bias)**, 그리고 **가중치**",
        "**가**(a)**나**다",  # 짝을 왼쪽부터 맞추므로 (a)를 굵은 글씨로 오해하지 않는다
        "곱셈은 x**2 처럼",
    ],
)
def test_bold_trap_allows_good_examples(text: str) -> None:
    assert not bold_traps(text)


def test_directive_title_is_linted() -> None:
    lines = prose_lines("```{exercise} **은닉층(hidden)**은 무엇일까\n:label: ex\n본문\n```\n", "x.md")
    assert [ln.lineno for ln in lines if bold_traps(ln.text)] == [1]


def test_directive_closing_fence_does_not_open_code() -> None:
    md = "```{solution-start} ex\n:class: dropdown\n```\n\n**은닉층(hidden)**은\n```python\nx = '**a(b)**c'\n```\n"
    lines = prose_lines(md, "x.md")
    traps = [(ln.lineno, t) for ln in lines for t in bold_traps(ln.text)]
    assert [lineno for lineno, _ in traps] == [5], traps


def test_code_is_not_linted() -> None:
    md = "글\n```python\ns = '**a(b)**c'\n```\n`**a(b)**c`는 코드\n```{note}\n**은닉층(hidden)**은\n```\n"
    lines = prose_lines(md, "x.md")
    traps = [(ln.lineno, t) for ln in lines for t in bold_traps(ln.text)]
    assert [lineno for lineno, _ in traps] == [7], traps  # 지시문 안의 글만 걸린다


# --- (b) 피할 표현 -------------------------------------------------------------------------------


def load_glossary() -> list[dict[str, Any]]:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


def paren_depths(text: str) -> list[int]:
    """각 글자 위치의 괄호 깊이 ((), （） 모두)."""
    depth = 0
    depths = []
    for ch in text:
        if ch in "(（":
            depth += 1
        depths.append(depth)
        if ch in ")）":
            depth = max(0, depth - 1)
    return depths


def avoided_terms(line: str, avoid: dict[str, str]) -> list[tuple[str, str]]:
    """줄에서 괄호 밖에 쓰인 피할 표현을 (표현, 써야 할 용어) 목록으로 돌려준다."""
    depths = paren_depths(line)
    found = []
    for variant, preferred in avoid.items():
        for m in re.finditer(re.escape(variant), line):
            if depths[m.start()] == 0:
                found.append((variant, preferred))
    return found


def avoid_map(entries: list[dict[str, Any]]) -> dict[str, str]:
    return {v: e["ko"] for e in entries for v in e.get("avoid", []) or []}


def test_no_avoided_terms_in_book() -> None:
    avoid = avoid_map(load_glossary())
    bad = [f"{ln} → '{v}' 대신 '{p}'" for ln in book_prose() for v, p in avoided_terms(ln.text, avoid)]
    assert not bad, "용어집에서 피하기로 한 표현이 본문에 있습니다 (괄호 안은 허용):\n" + "\n".join(bad)


def test_avoid_lint_catches_planted_examples() -> None:
    avoid = {"바이어스": "편향", "히든 레이어": "은닉층", "활성 함수": "활성화 함수"}
    assert avoided_terms("바이어스를 더합니다.", avoid) == [("바이어스", "편향")]
    assert avoided_terms("두 개의 히든 레이어", avoid) == [("히든 레이어", "은닉층")]
    assert avoided_terms("편향(bias, 바이어스)을 더하고 바이어스를 뺍니다", avoid) == [("바이어스", "편향")]
    assert avoided_terms("편향(bias, 바이어스)을 더합니다", avoid) == []
    assert avoided_terms("편향（바이어스）", avoid) == []
    assert avoided_terms("활성화 함수는 활성 함수가 아닙니다", avoid) == [("활성 함수", "활성화 함수")]
    md = "# 제목\n\n바이어스를 더합니다.\n"
    lines = prose_lines(md, "book/x.md")
    hits = [(ln.where, ln.lineno) for ln in lines if avoided_terms(ln.text, avoid)]
    assert hits == [("book/x.md", 3)]  # 파일과 줄 번호를 알려 준다


# --- (c) 용어집 형식 -----------------------------------------------------------------------------


def test_glossary_schema() -> None:
    problems = gt.validate_entries(load_glossary())
    assert not problems, "용어집 형식 오류:\n" + "\n".join(problems)


def test_glossary_schema_catches_planted_problems() -> None:
    good = {"ko": "편향", "en": "bias", "definition": "더하는 상수입니다.", "avoid": [], "section": None}
    assert gt.validate_entries([good]) == []
    assert any("중복" in p or "겹칩니다" in p for p in gt.validate_entries([good, dict(good)]))
    no_def = {k: v for k, v in good.items() if k != "definition"}
    assert any("definition" in p for p in gt.validate_entries([no_def]))
    assert any("section" in p for p in gt.validate_entries([{**good, "section": "perceptron"}]))
    assert any("avoid" in p for p in gt.validate_entries([{**good, "avoid": "바이어스"}]))
    assert any("알 수 없는 키" in p for p in gt.validate_entries([{**good, "sectoin": None}]))
    assert gt.validate_entries([]) and gt.validate_entries({"ko": "x"})


def test_avoid_variants_do_not_hit_preferred_terms() -> None:
    """피할 표현이 어떤 용어나 정의 자체에 들어 있으면(괄호 밖) 바른 글도 걸리므로 안 된다."""
    entries = load_glossary()
    avoid = avoid_map(entries)
    bad = [(v, e["ko"]) for e in entries for v in avoid if v in e["ko"]]
    bad += [(v, e["definition"]) for e in entries for v, _ in avoided_terms(e["definition"], avoid)]
    assert not bad, f"피할 표현이 용어나 정의에 들어 있습니다: {bad}"


def defined_labels() -> set[str]:
    """book/ 아래 페이지에 정의된 MyST 레이블 ``(label)=``."""
    label_re = re.compile(r"^\s*\(([A-Za-z0-9_.:-]+)\)=\s*$", re.MULTILINE)
    labels: set[str] = set()
    for path in BOOK.rglob("*.md"):
        if not _is_private(path):
            labels |= set(label_re.findall(path.read_text(encoding="utf-8")))
    for path in BOOK.rglob("*.ipynb"):
        if _is_private(path):
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                src = cell["source"]
                labels |= set(label_re.findall("".join(src) if isinstance(src, list) else src))
    return labels


def test_glossary_sections_exist() -> None:
    """section이 null이 아닌 용어의 레이블이 책 어딘가에 정의되어 있다 (없으면 빌드가 -W에서 실패한다)."""
    labels = defined_labels()
    missing = sorted({e["section"] for e in load_glossary() if e["section"] and e["section"] not in labels})
    assert not missing, (
        f"용어집이 가리키는 레이블이 책에 없습니다: {missing}. 그 장이 아직 없으면 section을 null로 두십시오."
    )


# --- (d) 숫자 뒤의 조사 ---------------------------------------------------------------------------
#
# 조사는 숫자를 읽은 마지막 음절에 맞춰야 합니다("44.5는", "16으로", "1로"). 두 곳을 봅니다.
# 1. ``{glue:text}`이름:형식`` 바로 뒤의 조사: 노트북에 저장된 값을 책과 같은 방법(myst_nb의
#    format_plain_text)으로 꾸민 글을 d2lutil.korean으로 읽어 맞는 조사와 비교합니다. 값이 바뀌면 조사도
#    바뀌어야 하므로 이런 자리에는 ``{glue:josa}`이름:형식|은/는` ``(book/_ext/korean_josa.py)를 쓰십시오.
# 2. 글에 직접 쓴 숫자 바로 뒤의 조사 ("4을" → "4를"). 수식($…$)과 코드는 보지 않습니다.
# ``{glue:josa}``는 이름이 노트북에 있는지, 조사 형태가 올바른지 봅니다.

from myst_nb.core.variables import format_plain_text  # noqa: E402

from d2lutil import korean  # noqa: E402
from tests.nbdata import glued_plain  # noqa: E402

# 조사 덩어리(한글이 이어진 전체) → 조사 쌍. 덩어리가 이 목록에 없으면("가지", "배로", "층이") 조사가 아니다.
JOSA_FORMS: dict[str, str] = {}
for _pair in ("은/는", "이/가", "을/를", "과/와", "으로/로"):
    for _form in _pair.split("/"):
        JOSA_FORMS[_form] = _pair
for _tail in ("는", "도", "서", "써", "부터"):
    JOSA_FORMS["으로" + _tail] = JOSA_FORMS["로" + _tail] = "으로/로"
for _tail in ("나", "라", "라는", "라고", "나마"):
    JOSA_FORMS["이" + _tail] = JOSA_FORMS[_tail] = "이" + _tail + "/" + _tail
JOSA_FORMS["이라는"] = JOSA_FORMS["라는"] = "이라/라"
JOSA_FORMS["이라고"] = JOSA_FORMS["라고"] = "이라/라"
del JOSA_FORMS["나마"], JOSA_FORMS["이나마"]
for _k in ("이나", "나"):
    JOSA_FORMS[_k] = "이나/나"
for _k in ("이라", "라"):
    JOSA_FORMS[_k] = "이라/라"

GLUE_REF_RE = re.compile(
    r"\{glue(?::(?P<kind>text|josa|any|md))?\}`(?P<body>[^`]+)`(?P<unit>%?)(?P<after>[가-힣]*)"
)
MATH_RE = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$")
MATH_NUMBER_JOSA_RE = re.compile(r"\$(?P<num>[-−]?[\d.,]+(?:\s*/\s*\d+)?)\$(?P<after>[가-힣]+)")
ACRONYM_JOSA_RE = re.compile(r"(?<![A-Za-z0-9_])(?P<word>[A-Z][A-Z0-9]*[A-Z])(?P<after>[가-힣]+)")
NUMBER_JOSA_RE = re.compile(
    r"(?<![\w.,^_{}\\/-])(?P<num>[-−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+−]?\d+)?%?)(?P<after>[가-힣]+)"
)


def expected_josa(value_text: str, written: str) -> str | None:
    """written 조사가 value_text 뒤에서 틀렸으면 맞는 형태를, 맞거나 조사가 아니면 None을 돌려준다."""
    pair = JOSA_FORMS.get(written)
    if pair is None:
        return None
    first, second = pair.split("/")
    # 덧붙은 꼬리("으로는"의 "는")는 그대로 두고 앞부분만 고른다
    base = first if written.startswith(first) else second
    tail = written[len(base) :]
    right = korean.particle_for(value_text, pair) + tail
    return None if right == written else right


def rendered_glue(values: dict[str, str], body: str) -> str | None:
    """``{glue:text}``의 내용 '이름:형식'을 책이 보여 줄 글로 바꾼다 (이름이 없으면 None)."""
    key, sep, fmt = body.rpartition(":")
    if not sep:
        key, fmt = body, "s"
    if key not in values:
        return None
    return format_plain_text(values[key], fmt)


def raw_prose_lines(text: str, where: str) -> list[Line]:
    """prose_lines와 같되 인라인 코드를 지우지 않는다 (glue 역할의 내용을 읽어야 하므로)."""
    keep = {ln.lineno for ln in prose_lines(text, where)}
    return [Line(where, i, raw) for i, raw in enumerate(text.splitlines(), 1) if i in keep]


def josa_findings(line: str, values: dict[str, str], josa_ok: bool = True) -> list[str]:
    """한 줄에서 숫자·glue 값 뒤의 틀린 조사를 찾아 '글 → 고친 글' 목록으로 돌려준다."""
    found = []
    for m in GLUE_REF_RE.finditer(line):
        kind, body, after = m.group("kind") or "any", m.group("body"), m.group("after")
        if kind == "josa":
            key, _, particle = body.rpartition("|")
            try:
                korean.particle_for("1", particle)
            except ValueError:
                found.append(f"{m.group(0)} → 조사 형태가 올바르지 않습니다 ('은/는'처럼)")
            if rendered_glue(values, key) is None:
                found.append(f"{m.group(0)} → 노트북에 이 glue 이름이 없습니다")
            continue
        text = rendered_glue(values, body)
        if text is None or not after:
            continue
        text += m.group("unit")
        right = expected_josa(text, after)
        if right is not None:
            found.append(f"{m.group(0)} (값 {text}) → {right}")
        elif after in JOSA_FORMS and not m.group("unit"):
            # 지금은 맞아도 값이 바뀌면 틀려지므로 조사를 고르는 역할을 쓴다
            found.append(f"{m.group(0)} → {{glue:josa}}`{body}|{JOSA_FORMS[after]}`")
    plain = INLINE_CODE_RE.sub(" ", GLUE_REF_RE.sub(" ", line))
    for m in MATH_NUMBER_JOSA_RE.finditer(plain):  # $0.25$이, $1/4$로처럼 수식이 숫자 하나일 때
        right = expected_josa(re.sub(r"\s", "", m.group("num")), m.group("after"))
        if right is not None:
            found.append(f"{m.group(0)} → ${m.group('num')}${right}")
    plain = MATH_RE.sub(" ", plain)
    for m in ACRONYM_JOSA_RE.finditer(plain):  # 글자 이름으로 읽는 약어: XOR(엑스오알)을, GPU(지피유)가
        right = expected_josa(m.group("word"), m.group("after"))
        if right is not None:
            found.append(f"{m.group(0)} → {m.group('word')}{right}")
    for m in NUMBER_JOSA_RE.finditer(plain):
        try:
            right = expected_josa(m.group("num"), m.group("after"))
        except ValueError:
            continue
        if right is not None:
            found.append(f"{m.group(0)} → {m.group('num')}{right}")
    return found


def _notebook_values(where: str) -> dict[str, str]:
    nb = where.split("[", 1)[0]
    return glued_plain(nb) if nb.endswith(".ipynb") else {}


def test_josa_after_numbers_in_book() -> None:
    bad = []
    cache: dict[str, dict[str, str]] = {}
    for path in sorted(BOOK.rglob("*.md")):
        if not _is_private(path):
            for ln in raw_prose_lines(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))):
                bad += [f"{ln.where}:{ln.lineno}: {f}" for f in josa_findings(ln.text, {})]
    for path in sorted(BOOK.rglob("*.ipynb")):
        if _is_private(path):
            continue
        rel = str(path.relative_to(ROOT))
        values = cache.setdefault(rel, glued_plain(rel))
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
            if cell["cell_type"] != "markdown":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for ln in raw_prose_lines(src, f"{rel}[셀 {i}]"):
                bad += [f"{ln.where}:{ln.lineno}: {f}" for f in josa_findings(ln.text, values)]
    assert not bad, (
        "숫자 뒤의 조사가 숫자의 읽기와 맞지 않습니다 (glue 값 뒤에는 {glue:josa}`이름:형식|은/는`을 쓰십시오):\n"
        + "\n".join(bad)
    )


@pytest.mark.parametrize(
    ("line", "values", "expected"),
    [
        ("값이 {glue:text}`a:.1f`은 큽니다", {"a": "44.5"}, ["는"]),
        ("{glue:text}`n`이 나오는데", {"n": "4"}, ["가"]),
        ("{glue:text}`g:.1f`을 줍니다", {"g": "9.5"}, ["를"]),
        ("{glue:text}`v`이 됩니다", {"v": "-185"}, ["가"]),
        ("{glue:text}`v:.3f`가", {"v": "1.99712"}, ["이"]),
        ("{glue:text}`v`로 나눕니다", {"v": "16"}, ["으로"]),
        ("{glue:text}`v`으로는 부족", {"v": "1"}, ["로는"]),
        ("{glue:text}`p:.1f`%이", {"p": "12.5"}, ["가"]),
        ("실제 4을 8으로 바꿉니다", {}, ["4를", "8로"]),
        ("정답률 0.9750가 되고 16로 나누고 1e-07가", {}, ["0.9750이", "16으로", "1e-07이"]),
        ("{glue:josa}`a:.1f|은/는` 좋습니다", {}, ["이름이 없습니다"]),
        ("XOR를 풀고 XOR는 어렵고 GPU을 씁니다", {}, ["XOR을", "XOR은", "GPU를"]),
        ("상한은 $0.25$이 되고 $1/4$를 곱하면", {}, ["$0.25$가", "$1/4$을"]),
        ("{glue:josa}`a:.1f|은/가`", {"a": "1.0"}, ["조사 형태"]),
        (
            "값이 {glue:text}`a:.1f`는 맞지만 값이 바뀌면 틀립니다",
            {"a": "44.5"},
            ["{glue:josa}`a:.1f|은/는`"],
        ),
    ],
)
def test_josa_lint_catches_planted_examples(line: str, values: dict[str, str], expected: list[str]) -> None:
    found = josa_findings(line, values)
    assert len(found) == len(expected), found
    for f, e in zip(found, expected):
        assert e in f, (f, e)


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("{glue:text}`n`가지 방법과 {glue:text}`n`배로", {"n": "4"}),  # 가지, 배로는 조사가 아니다
        ("{glue:josa}`a:.1f|은/는` 좋습니다", {"a": "44.5"}),
        ("4를 8로, 16으로, 1로, 3과 4와 10층이 $0.25$가 되고 $1/4$을", {}),
        ("x1은, W2를, 3.3절, 1,000개를, 2^10이 아니라", {}),
        ("`4을`은 코드라 보지 않습니다", {}),
        ("XOR을 풀고, OR과 AND는 쉽고, BLAS가 GPU를 씁니다", {}),
    ],
)
def test_josa_lint_allows_good_examples(line: str, values: dict[str, str]) -> None:
    assert josa_findings(line, values) == []


# --- (e) 퀴즈 보기 이름표 ------------------------------------------------------------------------

CIRCLED_RE = re.compile(r"[\u2460-\u2473]")  # ①–⑳


def test_quiz_labels_use_one_style() -> None:
    """퀴즈 보기는 책 전체에서 (가) (나) (다) (라)로 씁니다. ①②처럼 동그라미 숫자를 섞지 않습니다."""
    bad = [str(ln) for ln in book_prose() if CIRCLED_RE.search(ln.text)]
    assert not bad, "퀴즈 보기 이름표는 (가) (나) (다) (라)로 씁니다:\n" + "\n".join(bad)


def test_quiz_label_lint_catches_planted_example() -> None:
    assert CIRCLED_RE.search("① 커진다 ② 작아진다") and not CIRCLED_RE.search("(가) 커진다 (나) 작아진다")

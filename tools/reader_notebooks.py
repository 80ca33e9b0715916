"""독자용 노트북 만들기: MyST 문법을 걷어 내 평범한 Jupyter·VS Code·Colab에서도 바르게 보이는 노트북.

책의 원본 노트북(``book/**.ipynb``)은 MyST 문법(``{glue:text}`` 역할, ``{exercise}`` 같은 지시어, ``(label)=``
이름표, ``{ref}`` 교차 참조)을 씁니다. 이 문법은 Jupyter Book이 HTML을 만들 때만 풀리므로, 같은 노트북을
JupyterLab이나 Colab에서 열면 숫자 대신 ``{glue:text}`` 자리 표시가 보이고 해답이 그대로 드러납니다.
이 도구는 원본을 읽어 다음처럼 바꾼 사본을 ``_build/reader/<부>/<이름>.ipynb``에 씁니다. 원본은 그대로 둡니다.

* glue 참조(``{glue:text}`name:.2f```와 그 밖의 ``{glue:…}`` 변형) → 노트북에 저장된 값을 같은 형식으로
* 연습·해답·정리·증명·상자(admonition) 지시어 → 평범한 Markdown (연습은 번호를 붙이고, 해답은 접힌 ``<details>``)
* ``(label)=`` 이름표 → 지움, ``{ref}``/``{numref}``/``{doc}``/``{prf:ref}`` → 온라인 책 페이지로 가는 링크,
  ``{eq}`` → 식 번호, ``{cite}`` → (지은이, 연도)
* 그 밖의 모르는 ``{역할}`내용``` → 내용 글자만
* 살아 있는 위젯의 보기(widget-view) 출력과 저장된 위젯 상태 → 지움 (다시 열 때 "model not found"가 나지 않고
  커널 없는 형태가 보입니다)

``--html DIR``을 주면 빌드된 책의 ``_sources``에 있는 노트북도 독자용으로 바꿔 써서, 페이지의 내려받기 단추가
독자용 노트북을 내려 주게 합니다.

    python tools/reader_notebooks.py                  # 모든 장 → _build/reader
    python tools/reader_notebooks.py --html _build/html
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: _config.yml에 html.baseurl이 없을 때 쓰는 온라인 책 주소
DEFAULT_BASEURL = "https://nn-textbook-ko.github.io/nn-textbook/"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

PROOF_NAMES = {
    "theorem": "정리",
    "definition": "정의",
    "corollary": "따름정리",
    "lemma": "보조정리",
    "proposition": "명제",
    "example": "예제",
    "algorithm": "알고리즘",
    "remark": "주의",
    "property": "성질",
    "axiom": "공리",
    "assumption": "가정",
    "conjecture": "추측",
    "criterion": "기준",
    "notation": "표기법",
    "observation": "관찰",
}
ADMONITION_NAMES = {
    "note": "참고",
    "tip": "도움말",
    "hint": "힌트",
    "important": "중요",
    "warning": "주의",
    "caution": "조심",
    "attention": "주의",
    "danger": "위험",
    "error": "오류",
    "seealso": "함께 보기",
}
EXERCISE_NAME = "연습"
SOLUTION_NAME = "해답"
FIGURE_NAME = "그림"

# ---------------------------------------------------------------------------------------------
# 한국어 조사: 숫자·글자의 끝소리에 맞춰 은/는, 이/가, 을/를, 과/와, 으로/로 …를 고른다
# ---------------------------------------------------------------------------------------------
#: (받침 있을 때, 받침 없을 때)
PARTICLES = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이나": ("이나", "나"),
    "나": ("이나", "나"),
    "이다": ("이다", "다"),
    "이고": ("이고", "고"),
    "이며": ("이며", "며"),
    "이라": ("이라", "라"),
    "이라고": ("이라고", "라고"),
    "아": ("아", "야"),
    "야": ("아", "야"),
    "이면": ("이면", "면"),
    "면": ("이면", "면"),
}
#: 숫자 한 자리를 읽은 소리의 받침 (0: 받침 없음, 'ㄹ': ㄹ 받침, 'o': 그 밖의 받침)
_DIGIT_FINAL = {
    "0": "o",
    "1": "ㄹ",
    "2": "",
    "3": "o",
    "4": "",
    "5": "",
    "6": "o",
    "7": "ㄹ",
    "8": "ㄹ",
    "9": "",
}
#: 영어 글자 이름의 끝소리 (엘, 엠, 엔, 알 …)
_LATIN_FINAL = {"l": "ㄹ", "m": "o", "n": "o", "r": "ㄹ"}


def _final_sound(text: str) -> str | None:
    """``text``를 소리 내어 읽을 때 마지막 음절의 받침: '' (없음), 'ㄹ', 'o' (그 밖), None (모름)."""
    s = text.rstrip(" )]}'\"*_`")
    if not s:
        return None
    ch = s[-1]
    if "가" <= ch <= "힣":
        jong = (ord(ch) - 0xAC00) % 28
        return "" if jong == 0 else ("ㄹ" if jong == 8 else "o")
    if ch == "%":
        return ""  # 퍼센트
    if ch.isdigit():
        m = re.search(r"([0-9][0-9,]*)(\.[0-9]+)?$", s)
        assert m is not None
        if m.group(2):  # 소수는 한 자리씩 읽는다: 0.50 → 영 점 오 영
            return _DIGIT_FINAL[ch]
        digits = m.group(1).replace(",", "")
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped)
        if not stripped:
            return "o"  # 영
        if zeros == 0:
            return _DIGIT_FINAL[ch]
        # 10 십(ㅂ), 100 백(ㄱ), 1000 천(ㄴ), 10000 만(ㄴ), 억(ㄱ): 모두 ㄹ이 아닌 받침
        return "o"
    if ch.isascii() and ch.isalpha():
        return _LATIN_FINAL.get(ch.lower(), "")
    return None


def _book_particle_rule(root: Path | None = None) -> Any:
    """책의 조사 규칙(``d2lutil/korean.py``의 ``particle_for``)이 있으면 그 함수를, 없으면 None.

    ``{glue:josa}`` 역할(book/_ext/korean_josa.py)과 같은 파일을 경로로 불러, HTML과 독자용 노트북이 같은
    조사를 고르게 한다.
    """
    path = (root or ROOT) / "d2lutil" / "korean.py"
    if not path.exists():
        return None
    import importlib.util

    name = "_reader_book_korean"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:  # pragma: no cover
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return getattr(sys.modules[name], "particle_for", None)


def attach_particle(text: str, particle: str) -> str:
    """``text`` 뒤에 끝소리에 맞는 조사를 붙인다. ``particle``은 '을', '을/를', '을(를)', '(으)로' 꼴.

    책에 조사 규칙(d2lutil/korean.py)이 있고 그 규칙이 이 조사를 알면 그것을 쓴다.
    """
    rule = _book_particle_rule()
    if rule is not None and "/" in particle:
        try:
            return text + str(rule(text, particle.strip()))
        except ValueError:
            pass
    spec = particle.strip()
    m = re.fullmatch(r"([가-힣]+)\s*[/(]\s*([가-힣]+)\)?", spec)
    if m:
        key = m.group(2) if m.group(1) in ("으", "이") else m.group(1)
        if m.group(1) == "으":  # (으)로
            key = "으로"
    elif re.fullmatch(r"\(([가-힣]+)\)([가-힣]+)", spec):
        m2 = re.fullmatch(r"\(([가-힣]+)\)([가-힣]+)", spec)
        assert m2 is not None
        key = m2.group(1) + m2.group(2)
    else:
        key = spec
    pair = PARTICLES.get(key)
    if pair is None:
        return text + spec
    final = _final_sound(text)
    if final is None:
        return text + f"{pair[0]}({pair[1]})" if pair[0] != pair[1] else text + pair[0]
    if pair[0] == "으로" and final == "ㄹ":
        return text + "로"
    return text + (pair[0] if final else pair[1])


# ---------------------------------------------------------------------------------------------
# 책 전체의 이름표 색인
# ---------------------------------------------------------------------------------------------
@dataclass
class Target:
    doc: str  # 'book/part1/linear_regression' (확장자 없음)
    anchor: str
    title: str
    kind: str = "section"  # section, exercise, prf:theorem, equation, figure …
    number: int | None = None


def _cells(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".ipynb":
        return json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [{"cell_type": "markdown", "source": path.read_text(encoding="utf-8"), "metadata": {}}]


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


_FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\s*\{(?P<name>[^}\s]+)\}\s*(?P<arg>.*?)\s*$"
)
_CODE_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_LABEL_RE = re.compile(r"^\s*\(([^()\s]+)\)=\s*$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MATH_LABEL_RE = re.compile(r"^(?P<body>.*?)\$\$\s*\((?P<label>[^()\s]+)\)\s*$")
_ROLE_RE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]*)`")
_INLINE_RE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]*)`|(?P<code>`+)[^`]+?(?P=code)")


def _toc_docs(root: Path) -> list[Path]:
    """책의 문서들을 목차(_toc.yml) 순서로. 목차가 없으면 book/ 아래의 문서를 이름 순서로."""
    toc = root / "_toc.yml"
    if toc.exists():
        import yaml

        data = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
        names: list[str] = [data["root"]] if data.get("root") else []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if "file" in node:
                    names.append(str(node["file"]))
                for value in node.values():
                    if isinstance(value, (list, dict)):
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk({k: v for k, v in data.items() if k != "root"})
        found = []
        for name in names:
            stem = re.sub(r"\.(md|ipynb)$", "", name)
            for ext in (".ipynb", ".md"):
                if (root / f"{stem}{ext}").exists():
                    found.append(root / f"{stem}{ext}")
                    break
        return found
    docs = []
    for path in sorted((root / "book").rglob("*")):
        if path.suffix not in (".ipynb", ".md") or ".ipynb_checkpoints" in path.parts:
            continue
        if any(part.startswith("_") for part in path.relative_to(root).parts):
            continue
        docs.append(path)
    return docs


def build_index(
    root: Path = ROOT,
) -> tuple[dict[str, Target], dict[str, str], dict[str, dict[str, list[int]]]]:
    """책의 모든 문서에서 이름표를 모은다: ({이름표: Target}, {문서: 제목}, {문서: {종류: [번호, …]}}).

    번호는 온라인 책과 같게 목차 순서로 책 전체에 이어 붙인다 (연습, 정리 종류마다, 그림, 식).
    """
    targets: dict[str, Target] = {}
    titles: dict[str, str] = {}
    seq: dict[str, dict[str, list[int]]] = {}
    counters: dict[str, int] = {}

    def count(doc: str, key: str) -> int:
        counters[key] = counters.get(key, 0) + 1
        seq.setdefault(doc, {}).setdefault(key, []).append(counters[key])
        return counters[key]

    for path in _toc_docs(root):
        doc = str(path.relative_to(root).with_suffix(""))
        pending: list[str] = []
        for cell in _cells(path):
            if cell.get("cell_type") == "code":
                fig = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
                if fig.get("name") or fig.get("caption"):
                    n = count(doc, "figure")
                    if fig.get("name"):
                        targets[fig["name"]] = Target(doc, fig["name"], fig.get("caption", ""), "figure", n)
                continue
            if cell.get("cell_type") != "markdown":
                continue
            lines = _source(cell).splitlines()
            in_code = None
            open_fences: list[str] = []  # 열려 있는 지시어의 울타리 (닫는 줄을 코드 블록으로 오해하지 않게)
            for i, line in enumerate(lines):
                if in_code:
                    if line.strip().startswith(in_code) and line.strip().strip(in_code[0]) == "":
                        in_code = None
                    continue
                if open_fences:
                    f = open_fences[-1]
                    if re.fullmatch(rf"\s*{re.escape(f[0])}{{{len(f)},}}\s*", line):
                        open_fences.pop()
                        continue
                fm = _FENCE_RE.match(line)
                if fm:
                    open_fences.append(fm.group("fence"))
                    name = fm.group("name")
                    kind = _directive_kind(name)
                    label = _option(lines, i + 1, "label")
                    if kind in ("exercise", "proof-like", "math", "figure"):
                        ckey = "exercise" if kind == "exercise" else name
                        if kind == "math":
                            ckey = "equation"
                        if kind == "math" and not label:
                            continue
                        n = count(doc, ckey)
                        if label:
                            targets[label] = Target(doc, label, fm.group("arg"), name, n)
                    elif label:
                        targets[label] = Target(doc, label, fm.group("arg"), name)
                    continue
                cm = _CODE_FENCE_RE.match(line)
                if cm and not cm.group("info").strip().startswith("{"):
                    in_code = cm.group("fence")
                    continue
                lm = _LABEL_RE.match(line)
                if lm:
                    pending.append(lm.group(1))
                    continue
                hm = _HEADING_RE.match(line)
                if hm:
                    title = hm.group(2)
                    titles.setdefault(doc, title)
                    for label in pending:
                        targets[label] = Target(doc, label, title)
                    pending = []
                    continue
                mm = _MATH_LABEL_RE.match(line)
                if mm:
                    n = count(doc, "equation")
                    targets[mm.group("label")] = Target(doc, mm.group("label"), "", "equation", n)
                if line.strip():
                    pending = []
    return targets, titles, seq


def _directive_kind(name: str) -> str:
    if name == "exercise":
        return "exercise"
    if name.startswith("prf:") and name != "prf:proof":
        return "proof-like"
    if name == "math":
        return "math"
    if name in ("figure", "glue:figure"):
        return "figure"
    return "other"


def _option(lines: list[str], start: int, key: str) -> str | None:
    for line in lines[start:]:
        m = re.match(r"^\s*:(\w[\w-]*):\s*(.*)$", line)
        if not m:
            return None
        if m.group(1) == key:
            return m.group(2).strip()
    return None


# ---------------------------------------------------------------------------------------------
# glue 값
# ---------------------------------------------------------------------------------------------
def glue_data(nb: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """노트북 출력에 저장된 glue 값: {이름: {mime: 데이터}} (접두사를 뗀 mime)."""
    out: dict[str, dict[str, Any]] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta or "name" not in meta:
                continue
            prefix = meta.get("mime_prefix", "")
            data = {}
            for mime, value in output.get("data", {}).items():
                key = mime[len(prefix) :] if prefix and mime.startswith(prefix) else mime
                data[key] = "".join(value) if isinstance(value, list) else value
            out[meta["name"]] = data
    return out


def format_plain_text(text: str, fmt_spec: str) -> str:
    """MyST-NB의 ``{glue:text}``와 같은 규칙으로 text/plain 값을 형식에 맞춘다."""
    try:
        from myst_nb.core.variables import format_plain_text as mystnb_format

        return str(mystnb_format(text, fmt_spec))
    except ImportError:  # pragma: no cover - myst_nb가 없는 곳
        try:
            value: Any = ast.literal_eval(text)
        except (SyntaxError, ValueError):
            value = text
        if fmt_spec == "":
            return str(value)
        t = fmt_spec[-1]
        if t == "s":
            value = str(value)
        elif t in "bcdoxX":
            value = int(value)
        elif t in "eEfFgGn%":
            value = float(value)
        return format(value, fmt_spec)


_PARTICLE_TAIL_RE = re.compile(
    r"^(?P<head>.*?)[|:,\s]\s*(?P<particle>\(?[가-힣]+(?:\s*[/(]\s*[가-힣]+\)?|\)[가-힣]+)?)$"
)


class MissingGlueError(KeyError):
    pass


def render_glue(role: str, content: str, glue: dict[str, dict[str, Any]]) -> str:
    """``{glue…}`content``` 하나를 글자로 바꾼다. 알려진 꼴과 모르는 변형을 모두 받는다.

    내용은 ``이름``, ``이름:형식``, ``문서::이름:형식`` 꼴이고, 뒤에 조사가 붙은 변형
    (``이름:형식|을``, ``이름:형식:을/를`` 등)은 값의 끝소리에 맞는 조사를 붙인다.
    """
    body = content.strip()
    particle = None
    if body.split("::")[-1] not in glue:
        pm = _PARTICLE_TAIL_RE.match(body)
        if pm and re.search(r"[가-힣]", pm.group("particle")):
            body, particle = pm.group("head"), pm.group("particle")
    if "::" in body:
        body = body.split("::", 1)[1]
    key, fmt = (body.rsplit(":", 1) + [""])[:2] if ":" in body else (body, "")
    if key not in glue and body in glue:
        key, fmt = body, ""
    if key not in glue:
        raise MissingGlueError(f"glue 값 {key!r}를 노트북 출력에서 찾을 수 없습니다 ({{{role}}}`{content}`)")
    data = glue[key]
    kind = role.split(":", 1)[1] if ":" in role else ""
    if kind == "md" and "text/markdown" in data:
        text = data["text/markdown"]
    elif kind == "math" and "text/latex" in data:
        text = data["text/latex"].strip()
        if not text.startswith("$"):
            text = f"${text}$"
    else:
        text = format_plain_text(data.get("text/plain", ""), fmt)
    if particle:
        text = attach_particle(text, particle)
    return text


# ---------------------------------------------------------------------------------------------
# 참고 문헌
# ---------------------------------------------------------------------------------------------
def load_bib(path: Path) -> dict[str, tuple[str, str]]:
    """references.bib에서 {키: (지은이 짧은 꼴, 연도)}."""
    out: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return out
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        key, body = m.group(1), m.group(2)
        am = re.search(r"author\s*=\s*\{(.*?)\}\s*,?\s*\n", body, re.S)
        ym = re.search(r"year\s*=\s*\{?(\d{4})", body)
        authors = [a.strip() for a in re.split(r"\s+and\s+", am.group(1))] if am else []
        surnames = [a.split(",")[0].strip() if "," in a else a.split()[-1] for a in authors if a]
        if len(surnames) >= 3:
            who = f"{surnames[0]} et al."
        elif len(surnames) == 2:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = surnames[0] if surnames else key
        out[key] = (re.sub(r"[{}]", "", who), ym.group(1) if ym else "")
    return out


# ---------------------------------------------------------------------------------------------
# 변환기
# ---------------------------------------------------------------------------------------------
class Converter:
    def __init__(self, root: Path = ROOT, baseurl: str | None = None) -> None:
        self.root = root
        self.baseurl = (baseurl or read_baseurl(root)).rstrip("/") + "/"
        self.targets, self.titles, self.seq = build_index(root)
        self.bib = load_bib(root / "references.bib")

    # --- 링크 ---------------------------------------------------------------------------
    def page_url(self, doc: str, anchor: str | None = None) -> str:
        url = f"{self.baseurl}{doc}.html"
        return f"{url}#{anchor}" if anchor else url

    def _target_text(self, t: Target) -> str:
        if t.kind == "exercise":
            return f"{EXERCISE_NAME} {t.number}"
        if t.kind.startswith("prf:"):
            return f"{PROOF_NAMES.get(t.kind[4:], t.kind[4:])} {t.number}"
        if t.kind == "figure":
            return f"{FIGURE_NAME} {t.number}"
        if t.kind == "equation":
            return f"({t.number})"
        return self.render_inline(t.title, {}, strict=False)

    def render_role(self, name: str, content: str, doc: str, glue: dict[str, dict[str, Any]]) -> str:
        explicit = re.fullmatch(r"(?s)(?P<text>.*?)\s*<(?P<target>[^<>]+)>", content)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, content)
        if name.startswith("glue"):
            return render_glue(name, content, glue)
        if name in ("ref", "numref", "prf:ref", "eq", "any"):
            t = self.targets.get(target.strip())
            if t is None:
                return text or target
            if name == "eq" and t.doc == doc and not text:
                return f"({t.number})" if t.number else target
            if text and name == "numref" and t.number is not None:
                text = text.replace("%s", str(t.number)).replace("{number}", str(t.number))
            shown = text or self._target_text(t)
            if name == "eq" and not text:
                shown = f"식 ({t.number})" if t.number else target
            return f"[{shown}]({self.page_url(t.doc, t.anchor)})"
        if name == "doc":
            path = target.strip()
            if path.startswith("/"):
                ref_doc = path.lstrip("/")
            else:
                ref_doc = str(Path(doc).parent / path)
                parts: list[str] = []
                for p in Path(ref_doc).parts:
                    if p == "..":
                        parts.pop()
                    elif p != ".":
                        parts.append(p)
                ref_doc = "/".join(parts)
            ref_doc = re.sub(r"\.(md|ipynb)$", "", ref_doc)
            title = text or self.render_inline(self.titles.get(ref_doc, ref_doc), {}, strict=False)
            return f"[{title}]({self.page_url(ref_doc)})"
        if name.startswith("cite"):
            keys = [k.strip() for k in target.split(",") if k.strip()]
            refs = self.page_url("book/appendix/references")
            if name == "cite:t":
                items = [f"{self.bib.get(k, (k, ''))[0]}({self.bib.get(k, (k, ''))[1]})" for k in keys]
                return f"[{', '.join(items)}]({refs})"
            items = [", ".join(x for x in self.bib.get(k, (k, "")) if x) for k in keys]
            return f"([{'; '.join(items)}]({refs}))"
        if name in ("math",):
            return f"${content}$"
        if name in ("code", "literal", "file", "kbd", "samp", "command"):
            return f"`{content}`"
        # 모르는 역할: 글자 내용만 (``글자 <대상>``이면 글자)
        return text if text is not None else content

    def render_inline(
        self, text: str, glue: dict[str, dict[str, Any]], *, doc: str = "", strict: bool = True
    ) -> str:
        def repl(m: re.Match[str]) -> str:
            try:
                return self.render_role(m.group("name"), m.group("content"), doc, glue)
            except MissingGlueError:
                if strict:
                    raise
                return m.group("content")

        # 인라인 코드(`...`) 안은 건드리지 않는다: 역할과 코드 구간을 왼쪽부터 차례로 찾는다
        def token(m: re.Match[str]) -> str:
            return repl(m) if m.group("name") else m.group(0)

        return _INLINE_RE.sub(token, text)

    # --- 블록 ---------------------------------------------------------------------------
    def convert_markdown(self, text: str, ctx: _DocContext) -> str:
        lines = text.splitlines()
        out = self._blocks(lines, ctx)
        result = "\n".join(out)
        result = re.sub(r"\n{3,}", "\n\n", result).strip("\n")
        return result

    def _blocks(self, lines: list[str], ctx: _DocContext) -> list[str]:
        out: list[str] = []
        i = 0
        para: list[str] = []

        def flush() -> None:
            if para:
                out.extend(self.render_inline("\n".join(para), ctx.glue, doc=ctx.doc).split("\n"))
                para.clear()

        while i < len(lines):
            line = lines[i]
            fm = _FENCE_RE.match(line)
            if fm:
                flush()
                fence = fm.group("fence")
                end = self._closing(lines, i + 1, fence)
                body = lines[i + 1 : end]
                out.extend(self._directive(fm.group("name"), fm.group("arg"), body, ctx))
                i = end + 1
                continue
            cm = _CODE_FENCE_RE.match(line)
            if cm:
                flush()
                fence = cm.group("fence")
                end = self._closing(lines, i + 1, fence)
                out.extend(lines[i : end + 1])
                i = end + 1
                continue
            if _LABEL_RE.match(line):
                i += 1
                continue
            mm = _MATH_LABEL_RE.match(line)
            if mm:
                label = mm.group("label")
                t = self.targets.get(label)
                number = t.number if t and t.doc == ctx.doc else None
                if mm.group("body").strip():
                    para.append(mm.group("body"))
                if number is not None:
                    para.append(f"\\tag{{{number}}}")
                para.append("$$")
                i += 1
                continue
            para.append(line)
            i += 1
        flush()
        return out

    @staticmethod
    def _closing(lines: list[str], start: int, fence: str) -> int:
        char, n = fence[0], len(fence)
        pat = re.compile(rf"^\s*{re.escape(char)}{{{n},}}\s*$")
        for j in range(start, len(lines)):
            if pat.match(lines[j]):
                return j
        return len(lines)

    @staticmethod
    def _split_options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        opts: dict[str, str] = {}
        k = 0
        if body and body[0].strip() == "---":  # YAML 꼴 옵션
            for k in range(1, len(body)):
                if body[k].strip() == "---":
                    break
                m = re.match(r"^\s*([\w-]+)\s*:\s*(.*)$", body[k])
                if m:
                    opts[m.group(1)] = m.group(2).strip()
            return opts, body[k + 1 :]
        while k < len(body):
            m = re.match(r"^\s*:([\w-]+):\s*(.*)$", body[k])
            if not m:
                break
            opts[m.group(1)] = m.group(2).strip()
            k += 1
        return opts, body[k:]

    def _inner(self, body: list[str], ctx: _DocContext) -> list[str]:
        return self._blocks(body, ctx)

    @staticmethod
    def _quote(lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            if line.strip():
                out.append(f"> {line}")
            elif out and out[-1] != ">":
                out.append(">")
        while out and out[-1] == ">":
            out.pop()
        return out

    def _details(self, summary: str, lines: list[str], *, open_: bool = False) -> list[str]:
        return [
            "<details open>" if open_ else "<details>",
            f"<summary><b>{summary}</b></summary>",
            "",
            *lines,
            "",
            "</details>",
            "",
        ]

    def _directive(self, name: str, arg: str, body: list[str], ctx: _DocContext) -> list[str]:
        opts, content = self._split_options(body)
        title = self.render_inline(arg, ctx.glue, doc=ctx.doc) if arg else ""
        classes = opts.get("class", "").split()
        inner = self._inner(content, ctx)
        if name == "exercise":
            ctx.exercise = ctx.next_number("exercise")
            label = opts.get("label")
            if label:
                ctx.exercise_numbers[label] = ctx.exercise
            head = f"**{EXERCISE_NAME} {ctx.exercise}" + (f" ({title})**" if title else "**")
            return ["", head, "", *inner, ""]
        if name == "solution-start":
            ctx.solution = self._solution_title(arg, ctx)
            return []
        if name == "solution-end":
            ctx.solution = None
            return []
        if name == "solution":
            return ["", *self._details(self._solution_title(arg, ctx), inner)]
        if name == "prf:proof":
            head = "*증명.*" + (f" ({title})" if title else "")
            body_lines = list(inner)
            return ["", *self._quote([head, "", *body_lines, "", "∎"]), ""]
        if name.startswith("prf:"):
            kind = name[4:]
            number = ctx.next_number(name)
            head = f"**{PROOF_NAMES.get(kind, kind)} {number}" + (f" ({title})**" if title else "**")
            return ["", *self._quote([head, "", *inner]), ""]
        if name in ("admonition", *ADMONITION_NAMES):
            shown = title if name == "admonition" else (title or ADMONITION_NAMES[name])
            shown = shown or "참고"
            if "dropdown" in classes:
                return ["", *self._details(shown, inner)]
            return ["", *self._quote([f"**{shown}**", "", *inner]), ""]
        if name in ("math",):
            label = opts.get("label")
            t = self.targets.get(label) if label else None
            tag = [f"\\tag{{{t.number}}}"] if t and t.number else []
            return ["", "$$", *content, *tag, "$$", ""]
        if name in ("code-cell", "code", "code-block", "sourcecode"):
            lang = arg or ""
            return ["", f"```{lang}", *content, "```", ""]
        if name in ("figure", "image"):
            alt = opts.get("alt", title)
            img = f"![{alt}]({arg})"
            return ["", img, "", *inner, ""]
        if name in ("glue:figure", "glue:", "glue", "glue:any"):
            key = arg.strip()
            data = ctx.glue.get(key, {})
            out = [""]
            if "image/png" in data:
                out.append(f"![{key}](data:image/png;base64,{data['image/png'].strip()})")
            elif "text/plain" in data:
                out.append(format_plain_text(data["text/plain"], ""))
            return [*out, "", *inner, ""]
        if name in ("bibliography",):
            return ["", f"[참고 문헌 목록]({self.page_url('book/appendix/references')})", ""]
        if name in ("toctree", "tableofcontents", "glossary-table"):
            return ["", f"[온라인 책에서 보기]({self.page_url(ctx.doc)})", ""]
        # 모르는 지시어: 제목과 본문만 남긴다
        head = [f"**{title}**", ""] if title else []
        return ["", *head, *inner, ""]

    def _solution_title(self, arg: str, ctx: _DocContext) -> str:
        label = arg.strip().split()[0] if arg.strip() else ""
        number = ctx.exercise_numbers.get(label)
        return f"{SOLUTION_NAME}: {EXERCISE_NAME} {number}" if number else SOLUTION_NAME

    # --- 노트북 ---------------------------------------------------------------------------
    def convert_notebook(self, nb: dict[str, Any], doc: str) -> dict[str, Any]:
        nb = copy.deepcopy(nb)
        ctx = _DocContext(doc=doc, glue=glue_data(nb))
        ctx.seq = {k: list(v) for k, v in self.seq.get(doc, {}).items()}
        cells: list[dict[str, Any]] = []
        figures = 0
        for cell in nb["cells"]:
            src = _source(cell)
            tags = set(cell.get("metadata", {}).get("tags", []))
            if "remove-cell" in tags:
                continue
            if cell["cell_type"] == "markdown":
                parts = self._split_solution_cell(src, ctx)
                for part_text, solution in parts:
                    text = part_text.strip("\n")
                    if not text.strip():
                        continue
                    new = {"cell_type": "markdown", "metadata": {}, "source": text}
                    if solution:
                        summary = solution + (" (이어서)" if solution in ctx.shown else "")
                        ctx.shown.add(solution)
                        new["source"] = "\n".join(self._details(summary, text.split("\n"))).strip("\n")
                    if cell.get("id"):
                        new["id"] = cell["id"] + (f"-{len(cells)}" if len(parts) > 1 else "")
                    cells.append(new)
                continue
            if cell["cell_type"] != "code":
                cells.append(cell)
                continue
            meta = cell.setdefault("metadata", {})
            meta.pop("execution", None)
            jmeta = meta.setdefault("jupyter", {})
            if ctx.solution:
                if ctx.solution not in ctx.shown:  # 해답이 코드로 시작하면 접힌 머리말을 먼저 둔다
                    note = (
                        "풀이 코드는 바로 아래의 접힌 코드 셀에 있습니다. 셀 왼쪽의 막대를 누르면 펼쳐집니다."
                    )
                    cells.append(
                        {
                            "cell_type": "markdown",
                            "metadata": {},
                            "source": "\n".join(self._details(ctx.solution, [note])).strip("\n"),
                            **({"id": cell["id"] + "-solution"} if cell.get("id") else {}),
                        }
                    )
                ctx.shown.add(ctx.solution)
                jmeta["source_hidden"] = True
                jmeta["outputs_hidden"] = True
                meta["cellView"] = "form"  # Colab: 코드를 접어 둔다
                first = f"# @title {ctx.solution} — 코드 (눌러서 펼치기)"
                cell["source"] = first + "\n" + src
            if tags & {"hide-input", "remove-input"}:
                jmeta["source_hidden"] = True
            if tags & {"hide-output", "remove-output"}:
                jmeta["outputs_hidden"] = True
            if not jmeta:
                meta.pop("jupyter")
            if "from myst_nb import glue" in src and not ctx.solution:
                cell["source"] = _soft_glue_import(src)
            cell["outputs"] = [_strip_widget(o) for o in cell.get("outputs", [])]
            cells.append(cell)
            fig = meta.get("mystnb", {}).get("figure", {})
            if fig.get("name") or fig.get("caption"):
                figures = ctx.next_number("figure")
            if fig.get("caption"):
                caption = self.render_inline(fig["caption"], ctx.glue, doc=doc)
                cells.append(
                    {
                        "cell_type": "markdown",
                        "metadata": {},
                        "source": f"*{FIGURE_NAME} {figures}.* {caption}",
                        **({"id": cell["id"] + "-caption"} if cell.get("id") else {}),
                    }
                )
        nb["cells"] = cells
        nb.get("metadata", {}).pop("widgets", None)
        online = self.page_url(doc)
        banner = {
            "cell_type": "markdown",
            "metadata": {},
            "source": (
                f"> 이 노트북은 온라인 책 [{self.titles.get(doc, doc)}]({online})의 독자용 사본입니다. "
                "본문의 숫자는 저장된 실행 결과에서 채웠고, 연습 문제의 해답은 접어 두었습니다. "
                "코드 셀을 위에서부터 차례로 실행하면(Shift+Enter) 그림과 대화형 데모가 살아납니다."
            ),
        }
        if cells and cells[0].get("id"):
            banner["id"] = "reader-banner"
        nb["cells"] = [banner, *cells]
        return nb

    def _split_solution_cell(self, src: str, ctx: _DocContext) -> list[tuple[str, str | None]]:
        """마크다운 셀을 해답 안/밖 조각으로 나누어 변환한다."""
        lines = src.splitlines()
        pieces: list[tuple[list[str], str | None]] = []
        current: list[str] = []
        state = ctx.solution
        i = 0
        while i < len(lines):
            fm = _FENCE_RE.match(lines[i])
            if fm and fm.group("name") in ("solution-start", "solution-end"):
                end = self._closing(lines, i + 1, fm.group("fence"))
                pieces.append((current, state))
                current = []
                self._directive(fm.group("name"), fm.group("arg"), lines[i + 1 : end], ctx)
                state = ctx.solution
                i = end + 1
                continue
            current.append(lines[i])
            i += 1
        pieces.append((current, state))
        out: list[tuple[str, str | None]] = []
        for piece, sol in pieces:
            saved = ctx.solution
            out.append((self.convert_markdown("\n".join(piece), ctx), sol))
            ctx.solution = saved
        return out


@dataclass
class _DocContext:
    doc: str
    glue: dict[str, dict[str, Any]]
    exercise: int = 0
    solution: str | None = None

    def __post_init__(self) -> None:
        self.counters: dict[str, int] = {}
        #: 이 문서에 목차 순서로 매겨진 번호들 (Converter가 채운다). 모자라면 문서 안에서 센다.
        self.seq: dict[str, list[int]] = {}
        self.exercise_numbers: dict[str, int] = {}
        self.shown: set[str] = set()

    def next_number(self, key: str) -> int:
        """종류(key)의 다음 번호: 책 전체 순서의 번호가 있으면 그것을, 없으면 문서 안에서 센 번호."""
        n = self.seq[key].pop(0) if self.seq.get(key) else self.counters.get(key, 0) + 1
        self.counters[key] = n
        return n


def _soft_glue_import(src: str) -> str:
    """``from myst_nb import glue``를 myst_nb가 없는 곳(Colab)에서도 도는 꼴로 바꾼다."""
    fallback = (
        "try:\n"
        "    from myst_nb import glue\n"
        "except ImportError:  # myst_nb가 없는 곳(Colab 등)에서는 본문에 붙일 값을 기억만 합니다\n"
        "    def glue(name, value, display=True):\n"
        "        return value\n"
    )
    return re.sub(r"^from myst_nb import glue\n?", fallback, src, count=1, flags=re.M)


def _strip_widget(output: dict[str, Any]) -> dict[str, Any]:
    """살아 있던 위젯의 보기(model_id)를 지운다. 같은 출력의 커널 없는 형태(text/html, PNG)가 남는다."""
    data = output.get("data")
    if isinstance(data, dict) and WIDGET_VIEW in data:
        output = dict(output)
        output["data"] = {k: v for k, v in data.items() if k != WIDGET_VIEW}
    return output


def read_baseurl(root: Path = ROOT) -> str:
    cfg = root / "_config.yml"
    if cfg.exists():
        try:
            import yaml

            data = yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}
            url = (data.get("html") or {}).get("baseurl")
            if url:
                return str(url)
        except ImportError:  # pragma: no cover
            pass
    return DEFAULT_BASEURL


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    return [p for p in _toc_docs(root) if p.suffix == ".ipynb"]


def convert_all(root: Path = ROOT, out_dir: Path | None = None, html_dir: Path | None = None) -> list[Path]:
    conv = Converter(root)
    out_dir = out_dir or root / "_build" / "reader"
    written: list[Path] = []
    for path in chapter_notebooks(root):
        rel = path.relative_to(root / "book")
        doc = str(path.relative_to(root).with_suffix(""))
        nb = json.loads(path.read_text(encoding="utf-8"))
        reader = conv.convert_notebook(nb, doc)
        text = json.dumps(reader, ensure_ascii=False, indent=1) + "\n"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
        if html_dir is not None:
            src = html_dir / "_sources" / path.relative_to(root)
            if src.parent.exists():
                src.write_text(text, encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="독자용 노트북을 만듭니다")
    parser.add_argument("--out", type=Path, default=None, help="출력 폴더 (기본: _build/reader)")
    parser.add_argument(
        "--html", type=Path, default=None, help="빌드된 책 폴더: _sources의 노트북도 바꿉니다"
    )
    args = parser.parse_args(argv)
    written = convert_all(ROOT, args.out, args.html)
    print(f"독자용 노트북 {len(written)}개를 {args.out or ROOT / '_build' / 'reader'}에 썼습니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

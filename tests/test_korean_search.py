"""book/_ext/korean_search.py 테스트.

1. 파이썬 분할기(split_korean)의 규칙: 조사 떼기, 두 음절 조각, 라틴 낱말 소문자화.
2. 같은 입력에서 자바스크립트 splitQuery(브라우저에서 검색어를 자르는 코드)가 파이썬과 똑같이 자르는지
   node로 실행해 비교한다. 두 쪽이 어긋나면 색인과 검색어가 맞지 않아 검색이 조용히 실패한다.
3. 작은 Sphinx 프로젝트를 실제로 빌드하고, Sphinx의 searchtools.js(검색 페이지가 쓰는 그 코드)를 node에서
   돌려 한국어·영어 검색어가 기대한 문서를 찾는지 확인한다.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT_DIR = ROOT / "book" / "_ext"


def _load_extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location("korean_search", EXT_DIR / "korean_search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("korean_search", module)
    spec.loader.exec_module(module)
    return module


ks = _load_extension()


def run_node(script: str) -> Any:
    """script를 node로 실행하고 마지막에 출력한 JSON 한 줄을 돌려준다."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node가 없습니다. 자바스크립트 분할기를 확인하려면 node가 필요합니다 (apt-get install nodejs)."
        )
    proc = subprocess.run([node, "-"], input=script, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, f"node 실행 실패:\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def js_split(texts: list[str]) -> list[list[str]]:
    script = ks.JS_SPLITTER_CODE + f"\nconsole.log(JSON.stringify({json.dumps(texts)}.map(splitQuery)));\n"
    return run_node(script)


# --- 1. 파이썬 분할 규칙 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("은닉층", ["은닉", "닉층"]),
        ("은닉층을", ["은닉", "닉층"]),
        ("은닉층으로", ["은닉", "닉층"]),
        ("은닉층에서는", ["은닉", "닉층"]),
        ("시그모이드를", ["시그", "그모", "모이", "이드"]),
        ("역전파", ["역전", "전파"]),
        ("기울기", ["기울", "울기"]),
        ("은닉", ["은닉"]),
        ("ReLU를", ["relu"]),
        ("ReLU 함수", ["relu", "함수"]),
        ("softmax(x)", ["softmax", "x"]),
        ("층 수", ["층", "수"]),  # 한 음절 낱말은 그대로
        ("결과", ["결과"]),  # 조사처럼 보이는 끝(과)도 남는 부분이 한 음절이면 떼지 않는다
        ("결과를", ["결과"]),
        ("이 책은", ["책은"]),  # 덩어리 전체가 조사 하나(이)이면 버린다. "책은"은 떼면 한 음절이라 그대로
        ("가중치, 편향!", ["가중", "중치", "편향"]),
    ],
)
def test_split_examples(text: str, expected: list[str]) -> None:
    assert ks.split_korean(text) == expected


@pytest.mark.parametrize(
    "particle", ["을", "를", "은", "는", "이", "가", "의", "에서", "으로", "에서는", "와", "과"]
)
@pytest.mark.parametrize("word", ["은닉층", "역전파", "시그모이드", "기울기", "퍼셉트론", "경사 하강법"])
def test_particle_does_not_change_terms(word: str, particle: str) -> None:
    """'낱말+조사'로 검색해도 낱말만 쓴 페이지의 조각 안에 모든 조각이 들어 있어야 찾는다."""
    assert set(ks.split_korean(word + particle)) <= set(ks.split_korean(word))
    assert ks.split_korean(word + particle) == ks.split_korean(word)


def test_prefix_query_is_subset_of_word_terms() -> None:
    """'은닉'이나 '전파'처럼 낱말의 일부로 검색해도 찾는다 (조각이 그 낱말 조각의 부분집합)."""
    assert set(ks.split_korean("은닉")) <= set(ks.split_korean("은닉층은"))
    assert set(ks.split_korean("전파")) <= set(ks.split_korean("역전파를"))
    assert set(ks.split_korean("전파")) <= set(ks.split_korean("순전파"))
    # 반대로 '역전파'의 조각은 '순전파'에 모두 있지는 않다 (순전파 페이지가 걸리지 않는다)
    assert not set(ks.split_korean("역전파")) <= set(ks.split_korean("순전파"))


def test_nfd_input_is_normalised() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "은닉층을")
    assert nfd != "은닉층을"
    assert ks.split_korean(nfd) == ks.split_korean("은닉층을")


def test_particles_sorted_longest_first() -> None:
    lengths = [len(p) for p in ks.PARTICLES]
    assert lengths == sorted(lengths, reverse=True)
    assert len(set(ks.PARTICLES)) == len(ks.PARTICLES)


def test_search_language_class() -> None:
    lang = ks.SearchKorean({})
    assert lang.lang == "ko"
    # 색인할 때는 두 음절 조각 뒤에 세 음절 이상인 어간 전체를 더한다 (순위용)
    assert lang.split("은닉층을 ReLU로") == ["은닉", "닉층", "relu", "은닉층"]
    # 영어는 포터 어간 추출, 한글은 그대로
    assert lang.stem("networks") == "network"
    assert lang.stem("은닉") == "은닉"
    # 영어 불용어는 색인하지 않고, 한 음절 한글은 색인한다
    assert not lang.word_filter("the")
    assert lang.word_filter("층")
    assert lang.word_filter("relu")


def test_setup_registers_ko() -> None:
    class FakeApp:
        def __init__(self) -> None:
            self.registered: list[type] = []

        def add_search_language(self, cls: type) -> None:
            self.registered.append(cls)

    app = FakeApp()
    meta = ks.setup(app)  # type: ignore[arg-type]
    assert app.registered == [ks.SearchKorean]
    assert meta["parallel_read_safe"] is True


# --- 2. 파이썬과 자바스크립트가 똑같이 자르는가 ----------------------------------------------------

FIXED_TEXTS = [
    "은닉층(hidden layer)은 입력층과 출력층 사이에 있습니다.",
    "**은닉층**(hidden layer)을 두 개 쌓은 다층 퍼셉트론",
    "시그모이드를 쓰면 기울기 소실이 생깁니다. ReLU를 쓰면 빨라집니다.",
    "역전파와 순전파에서는 연쇄 법칙으로 기울기를 구합니다",
    "softmax([1010, 1000, 990]) → [0.9999546, 4.54e-05]",
    "W := W − α ∂cost/∂W, σ'(x) = σ(x)(1 − σ(x))",
    "x_train.matmul(W) + b; nn.Linear(3, 1)",
    "Σσ 𝑥² ＡＢＣ ㄱㄴㄷ café naïve Straße 😀 x축 W와 2층",
    "이 책은 층 수 값 곱 합",
    "에서는 으로는 은 는 이 가",
    "",
    "   ",
    "ǅ İstanbul ÉCOLE ﬁ",
]


def _random_texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pieces = [
        "은닉층",
        "역전파",
        "기울기",
        "시그모이드",
        "가중치",
        "편향",
        "층",
        "값",
        "ReLU",
        "softmax",
        "Adam",
        "x1",
        "3.5",
        "_",
        "σ",
        "ㄱ",
        "é",
        "😀",
        *ks.PARTICLES,
    ]
    seps = [" ", "", "", ",", ".", "(", ")", "-", "\n", "  ", "**", "·"]
    texts = []
    for _ in range(n):
        k = rng.randint(1, 8)
        texts.append("".join(rng.choice(pieces) + rng.choice(seps) for _ in range(k)))
    # 무작위 한글 음절 덩어리도 섞는다
    for _ in range(n // 2):
        texts.append("".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 7))))
    return texts


def test_python_and_javascript_split_identically() -> None:
    texts = FIXED_TEXTS + _random_texts(400)
    py = [ks.split_korean(t) for t in texts]
    js = js_split(texts)
    mismatches = [(t, p, j) for t, p, j in zip(texts, py, js) if p != j]
    assert not mismatches, f"파이썬과 자바스크립트 분할이 다릅니다 (처음 5개): {mismatches[:5]}"


def test_javascript_stemmer_matches_python() -> None:
    words = ["networks", "training", "activations", "relu", "softmax", "gradients", "은닉", "층", "layer"]
    lang = ks.SearchKorean({})
    script = (
        ks.JS_STEMMER_CODE
        + f"\nvar s = new Stemmer(); console.log(JSON.stringify({json.dumps(words)}.map(w => s.stemWord(w))));\n"
    )
    assert run_node(script) == [lang.stem(w) for w in words]


def test_javascript_redeclaration_is_allowed() -> None:
    """searchtools.js가 splitQuery를 먼저 var로 선언해도 language_data.js의 선언이 오류 없이 이긴다."""
    script = (
        'if (typeof splitQuery === "undefined") { var splitQuery = (q) => q.split(" "); }\n'
        + ks.JS_SPLITTER_CODE
        + ks.JS_SPLITTER_CODE  # 두 번 실려도 SyntaxError가 나지 않는다
        + '\nconsole.log(JSON.stringify(splitQuery("은닉층을")));\n'
    )
    assert run_node(script) == ["은닉", "닉층"]


# --- 3. 실제 Sphinx 빌드 + Sphinx의 searchtools.js ---------------------------------------------

PAGES = {
    "mlp": (
        "은닉층과 다층 퍼셉트론",
        "은닉층은 입력층과 출력층 사이에 있습니다. 시그모이드를 쓰거나 ReLU를 씁니다. Neural networks.",
    ),
    "backprop": ("역전파", "역전파는 기울기를 효율적으로 계산합니다."),
    "forward": ("순전파", "순전파에서는 softmax 함수로 확률을 구합니다. 층 수를 셉니다."),
}

QUERIES = {
    "은닉층": {"mlp"},
    "은닉층을": {"mlp"},
    "은닉": {"mlp"},
    "시그모이드": {"mlp"},
    "시그모이드를": {"mlp"},
    "ReLU를": {"mlp"},
    "relu": {"mlp"},
    "역전파": {"backprop"},
    "역전파는": {"backprop"},
    "기울기": {"backprop"},
    "전파": {"backprop", "forward"},
    "softmax": {"forward"},
    "network": {"mlp"},
    "층": {"forward"},  # 한 음절: 홀로 쓰인 곳만 ("층 수")
    "없는말": set(),
}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:

    src = tmp_path_factory.mktemp("ko_search_src")
    out = src / "_build"
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['korean_search']\n"
        "language = 'ko'\n"
        "html_theme = 'basic'\n"
        "project = '검색 시험'\n",
        encoding="utf-8",
    )
    toctree = "\n".join(f"   {name}" for name in PAGES)
    (src / "index.rst").write_text(
        f"시험\n====\n\n.. toctree::\n   :hidden:\n\n{toctree}\n", encoding="utf-8"
    )
    for name, (title, body) in PAGES.items():
        bar = "=" * (len(title) * 2)
        (src / f"{name}.rst").write_text(f"{title}\n{bar}\n\n{body}\n", encoding="utf-8")
    # 별도 프로세스에서 빌드한다: 같은 프로세스에서 다른 Sphinx 앱이 이미 노드를 등록했으면
    # "node class ... is already registered" 경고가 -W에서 오류가 되기 때문이다.
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-E", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"Sphinx 빌드가 실패했습니다: {proc.stderr[-2000:]}"
    return out


def test_built_index_uses_korean_splitter(built_site: Path) -> None:
    index_js = (built_site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(index_js[len("Search.setIndex(") : -1])
    assert "은닉" in index["terms"] or "은닉" in index["titleterms"]
    assert "은닉층은" not in index["terms"]  # 영어 분할기였다면 통째로 들어간다
    assert "relu" in index["terms"]
    language_data = (built_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "koSearchHangulTerms" in language_data


def _search_script(site: Path, queries: list[str]) -> str:
    static = site / "_static"
    searchtools = (static / "searchtools.js").read_text(encoding="utf-8")
    language_data = (static / "language_data.js").read_text(encoding="utf-8")
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    stubs = (
        "var window = {location: {search: ''}, setTimeout: setTimeout};\n"
        "var document = {documentElement: {dataset: {}}, querySelectorAll: () => []};\n"
        "var DOCUMENTATION_OPTIONS = {};\n"
        "var SPHINX_HIGHLIGHT_ENABLED = false;\n"
        "var _ready = (cb) => {};\n"
        "var _ = (s) => s;\n"
    )
    run = (
        f"var out = {json.dumps(queries)}.map(function (q) {{\n"
        "  var parsed = Search._parseQuery(q);\n"
        "  var hits = Search.performTermsSearch(parsed[1], parsed[2]);\n"
        "  return hits.map(function (h) { return h[0]; }).sort();\n"
        "});\n"
        "console.log(JSON.stringify(out));\n"
    )
    # 브라우저와 같은 순서: searchtools.js → language_data.js → searchindex.js
    return stubs + searchtools + "\n" + language_data + "\n" + index + ";\n" + run


def test_sphinx_searchtools_finds_expected_pages(built_site: Path) -> None:
    queries = list(QUERIES)
    results = run_node(_search_script(built_site, queries))
    got = {q: set(r) for q, r in zip(queries, results)}
    wrong = {q: (sorted(got[q]), sorted(exp)) for q, exp in QUERIES.items() if got[q] != exp}
    assert not wrong, f"검색 결과가 기대와 다릅니다 (검색어: (찾은 것, 기대)): {wrong}"


# --- 4. 순위: 제목에 검색어 전체가 있는 페이지가 먼저, 낱말 전체가 조각보다 먼저 ------------------------


def test_whole_stems() -> None:
    assert ks.whole_stems("은닉층을 역전파로 ReLU 층 기울기 소실이") == ["은닉층", "역전파", "기울기"]
    assert ks.whole_stems("에서는 은닉") == []  # 조사 덩어리와 두 음절 어간은 넣지 않는다


def _build_site(
    src: Path, pages: dict[str, tuple[str, str]], suffix: str = ".rst", extra_conf: str = ""
) -> Path:
    out = src / "_build"
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['korean_search']\n"
        "language = 'ko'\n"
        "html_theme = 'basic'\n"
        "project = '검색 시험'\n" + extra_conf,
        encoding="utf-8",
    )
    toctree = "\n".join(f"   {name}" for name in pages)
    (src / "index.rst").write_text(
        f"시험\n====\n\n.. toctree::\n   :hidden:\n\n{toctree}\n", encoding="utf-8"
    )
    for name, (title, body) in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".md":
            text = f"# {title}\n\n{body}\n"
        else:
            text = f"{title}\n{'=' * (len(title) * 2)}\n\n{body}\n"
        (src / f"{name}{suffix}").write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"Sphinx 빌드가 실패했습니다: {proc.stderr[-2000:]}"
    return out


def ranked_results(site: Path, queries: list[str]) -> list[list[str]]:
    """브라우저와 같은 경로(Search._parseQuery → Search._performSearch)로 찾은 문서 이름을 순위대로."""
    static = site / "_static"
    script = (
        "var window = {location: {search: ''}, setTimeout: setTimeout};\n"
        "var document = {documentElement: {dataset: {}}, querySelectorAll: () => [], getElementById: () => null};\n"
        "var DOCUMENTATION_OPTIONS = {};\nvar SPHINX_HIGHLIGHT_ENABLED = false;\n"
        "var _ready = (cb) => {};\nvar _ = (s) => s;\n"
        + (static / "searchtools.js").read_text(encoding="utf-8")
        + "\n"
        + (static / "language_data.js").read_text(encoding="utf-8")
        + "\n"
        + (site / "searchindex.js").read_text(encoding="utf-8")
        + ";\n"
        + f"var out = {json.dumps(queries)}.map(function (q) {{\n"
        "  var parsed = Search._parseQuery(q);\n"
        "  var hits = Search._performSearch(...parsed).reverse();  // 화면에는 끝에서부터 나온다\n"
        "  var seen = []; hits.forEach(function (h) { if (seen.indexOf(h[0]) === -1) seen.push(h[0]); });\n"
        "  return seen;\n"
        "});\nconsole.log(JSON.stringify(out));\n"
    )
    return run_node(script)


RANK_PAGES = {
    "backprop": (
        "역전파로 신경망 학습하기",
        "역전파는 기울기를 층마다 거꾸로 보냅니다. 순전파에서 저장한 값을 씁니다.",
    ),
    "forward": ("신경망의 순전파", "순전파는 값을 앞으로 보냅니다. 역전파는 다음 장에서 다룹니다."),
    "wholeword": ("요약", "이 쪽지는 역전파라는 낱말을 본문에만 씁니다."),
    "bigrams": ("조각", "역전 현상과 전파 속도는 서로 다른 이야기입니다."),
}


@pytest.fixture(scope="module")
def rank_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_site(tmp_path_factory.mktemp("ko_rank_src"), RANK_PAGES)


def test_title_then_whole_word_then_bigrams(rank_site: Path) -> None:
    [order] = ranked_results(rank_site, ["역전파"])
    assert order[0] == "backprop", order  # 제목에 검색어 전체
    assert order.index("wholeword") < order.index("bigrams"), order  # 낱말 전체 > 조각만
    assert order.index("forward") < order.index("bigrams"), order  # 본문에 '역전파'가 통째로 있다


def test_whole_stems_do_not_widen_matches(rank_site: Path) -> None:
    """'역전파'의 조각(역전, 전파)이 모두 있어야 결과에 든다. 낱말 전체 색인이 찾는 범위를 넓히지 않는다."""
    [order] = ranked_results(rank_site, ["전파 현상"])
    assert order == ["bigrams"], order


# 실제 책의 글로 만든 작은 사이트: (검색어, 첫 결과여야 하는 페이지)
BOOK_RANK_QUERIES = [
    ("역전파", "book/part3/backprop"),
    ("역전파를", "book/part3/backprop"),
    ("기울기 소실", "book/part3/vanishing"),
    ("기울기 소실이", "book/part3/vanishing"),
    ("순전파", "book/part2/forward"),
    ("은닉층", "book/part2/mlp"),
    ("다층 퍼셉트론", "book/part2/mlp"),
    ("활성화 함수", "book/part2/activations"),
    ("연쇄 법칙", "book/part3/chain_rule"),
    ("계산 그래프", "book/part3/chain_rule"),
    ("경사 하강법", "book/part1/linear_regression"),
    ("텐서", "book/part0/tensors"),
    ("손글씨 숫자", "book/part3/digits"),
    ("선형성", "book/part2/linearity"),
    ("XOR", "book/part1/perceptron"),
    ("용어집", "book/glossary"),
    ("문제 해결", "book/appendix/troubleshooting"),
]

_ROLE_RE = __import__("re").compile(r"\{[\w:-]+\}`([^`]*)`")
_DIRECTIVE_RE = __import__("re").compile(r"^\s*(`{3,}|:{3,})\{[^}]*\}\s*(.*)$")
_OPTION_RE = __import__("re").compile(r"^\s*:[\w-]+:.*$")
_FENCE_ONLY_RE = __import__("re").compile(r"^\s*(`{3,}|:{3,})\s*$")


def plain_markdown(text: str) -> str:
    """MyST 지시문과 역할을 걷어 낸 평범한 Markdown (검색 색인에 들어갈 낱말은 그대로 남긴다)."""
    out: list[str] = []
    in_code = False
    for line in text.splitlines():
        if in_code:
            out.append(line)
            if _FENCE_ONLY_RE.match(line):
                in_code = False
            continue
        m = _DIRECTIVE_RE.match(line)
        if m:
            out.append(m.group(2))
            continue
        if _OPTION_RE.match(line) or _FENCE_ONLY_RE.match(line):
            continue
        if line.lstrip().startswith("```"):
            in_code = True
            out.append(line)
            continue
        out.append(_ROLE_RE.sub(r"\1", line).replace("$", " "))
    return "\n".join(out)


def book_pages() -> dict[str, tuple[str, str]]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    pages: dict[str, tuple[str, str]] = {}
    for entry in entries:
        nb, md = ROOT / f"{entry}.ipynb", ROOT / f"{entry}.md"
        if nb.is_file():
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = md.read_text(encoding="utf-8")
        if entry == "book/glossary":  # 용어집 표: 모든 용어와 정의가 이 페이지에 있다
            glossary = yaml.safe_load((ROOT / "book/_data/glossary.yml").read_text(encoding="utf-8"))
            text += "\n\n" + "\n\n".join(f"{e['ko']} ({e['en']}): {e['definition']}" for e in glossary)
        lines = plain_markdown(text).splitlines()
        title_line = next(i for i, line in enumerate(lines) if line.startswith("# "))
        title = lines[title_line][2:].strip()
        pages[entry] = (title, "\n".join(lines[title_line + 1 :]))
    return pages


@pytest.fixture(scope="module")
def book_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_site(
        tmp_path_factory.mktemp("ko_book_src"),
        book_pages(),
        suffix=".md",
        extra_conf="extensions += ['myst_parser']\nsuppress_warnings = ['myst', 'toc', 'ref']\n",
    )


def test_book_queries_rank_the_chapter_first(book_site: Path) -> None:
    assert len(BOOK_RANK_QUERIES) >= 10
    queries = [q for q, _ in BOOK_RANK_QUERIES]
    results = ranked_results(book_site, queries)
    wrong = {
        q: (r[:3], expected)
        for (q, expected), r in zip(BOOK_RANK_QUERIES, results)
        if not r or r[0] != expected
    }
    assert not wrong, f"첫 결과가 기대와 다릅니다 (검색어: (앞의 세 결과, 기대한 첫 결과)): {wrong}"

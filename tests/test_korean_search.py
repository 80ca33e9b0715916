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
    assert lang.split("은닉층을 ReLU로") == ["은닉", "닉층", "relu"]
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

"""출시 전 독자 관점 검사: 접근성(axe-core), 페이지 무게, 이전/다음, 실행 단추, 휴대폰 화면, 데모 키보드, 검색.

``pytest -m browser tests/test_release.py`` (빌드된 책이 있어야 한다: ``BOOK_HTML_DIR``, ``BOOK_ROOT``로 바꿀 수
있다). 목차(_toc.yml)의 페이지를 한 번씩만 열고, 연 김에 아래를 모두 잰다.

- 접근성: axe-core(axe-playwright-python에 들어 있는 axe.min.js, 네트워크 없이)를 기본 규칙으로 돌려
  영향도(impact)가 serious, critical인 위반이 0개.
- 무게: HTML + 페이지가 실제로 불러온 같은 출처의 자원(Performance API의 resource/navigation 항목; 지연
  로딩 그림은 모두 불러온 뒤)의 합이 4 MiB(4,194,304 바이트) 이하. 크기는 브라우저가 알려 준
  encodedBodySize(테스트 서버는 압축하지 않으므로 파일 크기와 같다), 0이면 디스크의 파일 크기. 실패하면
  페이지 자신(HTML, 그림)과 공통 자원(_static/)으로 나눈 크기와 gzip 서버에서의 추정 크기를 알려 준다.
- 이전/다음: 바닥글의 ``a.left-prev``/``a.right-next``가 목차 순서의 앞뒤 페이지를 가리킨다.
- 실행 단추: 노트북 페이지의 머리 드롭다운에 Colab과 Binder 링크가 있고 그 노트북 경로를 가리킨다
  (_config.yml의 repository.url, branch에서 기대 주소를 만든다). 드롭다운을 누르면 보인다.
- 휴대폰: 390 px 너비에서 ``document.documentElement.scrollWidth ≤ 390 + 2`` (코드 블록·표·수식처럼 자기
  상자 안에서 스크롤되는 것은 괜찮다).
- 데모 키보드: 커널 없는 데모(div.d2l-demo)의 모든 입력이 키보드 초점을 받고 화살표 키(범위 입력은 →,
  끝에 있으면 ←; 선택 상자는 ↓/↑)로 값이 바뀌며, 데모마다 적어도 한 입력은 그림(img src)을 바꾼다. 책
  어딘가에서는 범위 입력의 →가 그림을 바꾼다.
- 검색: 용어집에서 section이 있는 모든 용어(한국어)를 search.html?q=…로 찾으면 그 section이 있는 페이지가
  결과에 나온다 (첫 용어는 주소로 열고, 나머지는 같은 탭에서 Sphinx의 Search.performSearch로 다시 찾는다).

브라우저 시간은 대부분 axe-core(특히 color-contrast 규칙)가 수식이 많은 장에서 쓴다.
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from browser_support import LAUNCH_ARGS, VIEWPORT, book_root, html_dir, search_results, serve, toc_pages
from find_browser import BrowserSetupError, ensure_browser, ensure_korean_font
from test_glossary_links import glossary, toc_labels

pytestmark = pytest.mark.browser

NO_BOOK = "(빌드된 책 없음)"
PAGES = toc_pages() or [NO_BOOK]
MAX_PAGE_BYTES = 4 * 1024 * 1024
PHONE = {"width": 390, "height": 844}
PHONE_TOLERANCE = 2  # px
BLOCKING_IMPACTS = ("serious", "critical")

# --- 브라우저에서 실행할 스크립트 ----------------------------------------------------------------

JS_SETTLE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) {}
  }
  // 지연 로딩 그림도 독자가 끝까지 읽으면 불러오므로 모두 불러온다
  const imgs = Array.from(document.images);
  imgs.forEach((img) => { if (img.loading === 'lazy') img.loading = 'eager'; });
  await Promise.all(imgs.map((img) => img.complete ? null :
    new Promise((ok) => { img.addEventListener('load', ok); img.addEventListener('error', ok); })));
  if (document.fonts && document.fonts.ready) await document.fonts.ready;
}"""

JS_RESOURCES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map((e) => ({name: e.name, encoded: e.encodedBodySize || 0, transfer: e.transferSize || 0}))"""

JS_PREV_NEXT = """() => ({
  prev: (document.querySelector('.prev-next-area a.left-prev') || {}).href || null,
  next: (document.querySelector('.prev-next-area a.right-next') || {}).href || null,
})"""

JS_LAUNCH = """() => Array.from(document.querySelectorAll('.dropdown-launch-buttons a')).map((a) => ({
  href: a.href, text: a.textContent.trim(), title: a.title || '',
}))"""

JS_DEMO_CONTROLS = """() => Array.from(document.querySelectorAll('div.d2l-demo')).map((demo) => {
  const img = demo.querySelector('img');
  const controls = Array.from(demo.querySelectorAll('input[type=range], select')).filter((el) =>
    el.tagName === 'SELECT' ? el.options.length > 1 : Number(el.max) > Number(el.min));
  return {
    id: demo.id,
    img: img && img.id ? '#' + CSS.escape(img.id) : null,
    controls: controls.filter((el) => el.id).map((el) => ({
      selector: '#' + CSS.escape(el.id),
      kind: el.tagName === 'SELECT' ? 'select' : 'range',
      // 끝에 있으면 반대쪽 키를 누른다
      at_end: el.tagName === 'SELECT' ? el.selectedIndex === el.options.length - 1
                                      : Number(el.value) >= Number(el.max),
    })),
  };
})"""

JS_OVERFLOW = """(limit) => {
  const scrollsItself = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit) continue;
    const st = getComputedStyle(el);
    if (st.position === 'fixed' || st.visibility === 'hidden' || st.display === 'none') continue;
    if (scrollsItself(el)) continue;
    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' right=' + Math.round(r.right));
    if (wide.length >= 8) break;
  }
  return {scroll_width: document.documentElement.scrollWidth, wide};
}"""


# --- 페이지 방문 -------------------------------------------------------------------------------------


@dataclass
class ReleaseReport:
    page: str
    seconds: float = 0.0
    violations: list[dict[str, Any]] = field(default_factory=list)
    resources: dict[str, int] = field(default_factory=dict)  # 같은 출처 경로 → 바이트
    prev: str | None = None
    next: str | None = None
    launch: list[dict[str, str]] = field(default_factory=list)
    launch_visible: bool | None = None
    demos: list[dict[str, Any]] = field(default_factory=list)
    phone: dict[str, Any] = field(default_factory=dict)

    @property
    def weight(self) -> int:
        return sum(self.resources.values())

    @property
    def shared_weight(self) -> int:
        """모든 페이지가 함께 쓰는 테마·도구 자원(_static/ 아래)."""
        return sum(size for path, size in self.resources.items() if path.startswith("_static/"))

    def gzip_weight(self, root: Path) -> int:
        """gzip으로 압축해 보내는 서버(GitHub Pages 등)에서의 크기 추정 (디스크의 파일을 압축해 본다)."""
        total = 0
        for path, size in self.resources.items():
            file = root / path
            total += len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else size
        return total

    def breakdown(self, root: Path) -> str:
        top = sorted(self.resources.items(), key=lambda kv: -kv[1])[:6]
        return (
            f"합계 {self.weight / 1e6:.2f} MB = 페이지 자신(HTML, 그림) {(self.weight - self.shared_weight) / 1e6:.2f} MB"
            f" + 공통 자원(_static) {self.shared_weight / 1e6:.2f} MB; gzip 서버에서는 약 "
            f"{self.gzip_weight(root) / 1e6:.2f} MB. 큰 것: "
            + ", ".join(f"{p} {s / 1e3:.0f} kB" for p, s in top)
        )


def local_path(url: str | None, base_url: str) -> str | None:
    """같은 출처의 주소 → HTML 폴더 기준 경로 (쿼리와 앵커는 뺀다). 다른 출처면 None."""
    if not url or not url.startswith(base_url):
        return None
    return urlparse(url).path.lstrip("/") or "index.html"


def resource_sizes(entries: list[dict[str, Any]], base_url: str, root: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for entry in entries:
        path = local_path(entry["name"], base_url)
        if path is None:
            continue
        size = int(entry["encoded"])
        if size == 0:
            file = root / path
            size = file.stat().st_size if file.is_file() else 0
        sizes[path] = max(sizes.get(path, 0), size)
    return sizes


def press_key(page: Any, control: dict[str, Any], img: str) -> dict[str, Any]:
    """입력에 초점을 주고 화살표 키를 한 번 눌러 값과 그림이 바뀌는지 본다."""
    forward, backward = (
        ("ArrowRight", "ArrowLeft") if control["kind"] == "range" else ("ArrowDown", "ArrowUp")
    )
    key = backward if control["at_end"] else forward
    sel = control["selector"]
    value_before = page.eval_on_selector(sel, "(el) => el.value")
    src_before = page.eval_on_selector(img, "(el) => el.src")
    page.focus(sel)
    focused = page.evaluate("(s) => document.activeElement === document.querySelector(s)", sel)
    page.keyboard.press(key)
    return {
        "control": sel,
        "kind": control["kind"],
        "key": key,
        "focused": focused,
        "value_changed": page.eval_on_selector(sel, "(el) => el.value") != value_before,
        "image_changed": page.eval_on_selector(img, "(el) => el.src") != src_before,
    }


def visit_release(context: Any, base_url: str, page_path: str, axe: Axe) -> ReleaseReport:
    report = ReleaseReport(page_path)
    start = time.perf_counter()
    page = context.new_page()
    try:
        page.goto(base_url + page_path, wait_until="load")
        page.evaluate(JS_SETTLE)
        report.resources = resource_sizes(page.evaluate(JS_RESOURCES), base_url, html_dir())

        results = axe.run(page)
        report.violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [
                    {
                        "target": " ".join(map(str, n["target"])),
                        "html": n["html"][:160],
                        "summary": (n.get("failureSummary") or "").replace("\n", " ")[:240],
                    }
                    for n in v["nodes"]
                ],
            }
            for v in results.response["violations"]
        ]

        nav = page.evaluate(JS_PREV_NEXT)
        report.prev = local_path(nav["prev"], base_url)
        report.next = local_path(nav["next"], base_url)

        report.launch = page.evaluate(JS_LAUNCH)
        toggle = page.locator(".dropdown-launch-buttons button.dropdown-toggle")
        if report.launch and toggle.count():
            toggle.first.click()
            page.wait_for_timeout(100)
            report.launch_visible = page.locator(
                ".dropdown-launch-buttons a.dropdown-item"
            ).first.is_visible()
            page.keyboard.press("Escape")

        for demo in page.evaluate(JS_DEMO_CONTROLS):
            presses = [press_key(page, c, demo["img"]) for c in demo["controls"]] if demo["img"] else []
            report.demos.append({"id": demo["id"], "has_img": bool(demo["img"]), "presses": presses})

        page.set_viewport_size(PHONE)
        page.wait_for_timeout(150)  # 미디어 쿼리와 배치가 다시 계산되도록
        report.phone = page.evaluate(JS_OVERFLOW, PHONE["width"] + PHONE_TOLERANCE)
    finally:
        page.close()
    report.seconds = time.perf_counter() - start
    return report


@dataclass
class Site:
    context: Any
    base_url: str
    axe: Axe
    reports: dict[str, ReleaseReport] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def report(self, page: str) -> ReleaseReport:
        if page == NO_BOOK:
            pytest.fail(
                f"빌드된 책이나 목차를 찾지 못했습니다: {html_dir()} (BOOK_HTML_DIR로 바꿀 수 있습니다)"
            )
        if not (html_dir() / page).is_file():
            pytest.fail(f"목차의 페이지가 빌드되지 않았습니다: {page}")
        if page in self.failures:
            pytest.fail(f"{page}: 앞서 페이지를 여는 데 실패했습니다: {self.failures[page]}")
        if page not in self.reports:
            try:
                self.reports[page] = visit_release(self.context, self.base_url, page, self.axe)
            except Exception as exc:
                self.failures[page] = f"{type(exc).__name__}: {exc}"
                raise
        return self.reports[page]


@pytest.fixture(scope="session")
def release_site() -> Iterator[Site]:
    root = html_dir()
    if not (root / "search.html").is_file():
        pytest.fail(f"빌드된 책이 없습니다: {root}/search.html. 먼저 책을 빌드하십시오.")
    try:
        executable = ensure_browser()
        ensure_korean_font()
    except BrowserSetupError as exc:
        pytest.fail(str(exc))
    from playwright.sync_api import sync_playwright

    server = serve(root)
    pw = sync_playwright().start()
    browser = None
    try:
        browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light", locale="ko-KR")
        context.set_default_timeout(60_000)
        # 외부 요청은 모두 막는다 (책은 네트워크 없이 읽혀야 하고, 무게는 같은 출처만 잰다)
        context.route(
            re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), lambda route: route.abort()
        )
        yield Site(context, server.base_url, Axe())
        context.close()
    finally:
        if browser is not None:
            browser.close()
        pw.stop()
        server.close()


# --- 도구 자체의 검사 --------------------------------------------------------------------------------


def test_axe_script_is_bundled_offline() -> None:
    """axe-core는 패키지에 든 axe.min.js를 페이지에 넣어 돌린다 (내려받지 않는다)."""
    from axe_playwright_python.base import AXE_FILE_PATH

    assert AXE_FILE_PATH.is_file() and AXE_FILE_PATH.stat().st_size > 100_000
    assert Axe().axe_script == AXE_FILE_PATH.read_text()


def test_resource_sizes_fall_back_to_disk(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_bytes(b"x" * 123)
    base = "http://127.0.0.1:9/"
    entries = [
        {"name": base + "p.html", "encoded": 1000},
        {"name": base + "a.css?v=1", "encoded": 0},
        {"name": "https://cdn.example.org/x.js", "encoded": 5000},
        {"name": base + "p.html", "encoded": 10},
    ]
    assert resource_sizes(entries, base, tmp_path) == {"p.html": 1000, "a.css": 123}


# --- 페이지마다 --------------------------------------------------------------------------------------


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — 요소 {len(v['nodes'])}개")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}  {n['html']}\n      {n['summary']}")
    return "\n".join(lines)


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_axe(release_site: Site, page: str) -> None:
    r = release_site.report(page)
    blocking = [v for v in r.violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page}: axe-core의 serious/critical 위반:\n{format_violations(blocking)}"


@pytest.mark.parametrize("page", PAGES)
def test_page_weight(release_site: Site, page: str) -> None:
    r = release_site.report(page)
    assert page in r.resources, f"{page}: 페이지 자신의 크기를 재지 못했습니다: {sorted(r.resources)[:5]}"
    assert r.weight <= MAX_PAGE_BYTES, (
        f"{page}: 페이지 무게가 {MAX_PAGE_BYTES / 2**20:.0f} MiB를 넘습니다. {r.breakdown(html_dir())}"
    )


def expected_neighbours(page: str) -> tuple[str | None, str | None]:
    i = PAGES.index(page)
    return (PAGES[i - 1] if i > 0 else None, PAGES[i + 1] if i + 1 < len(PAGES) else None)


@pytest.mark.parametrize("page", PAGES)
def test_prev_next_follow_toc(release_site: Site, page: str) -> None:
    r = release_site.report(page)
    prev, nxt = expected_neighbours(page)
    assert (r.prev, r.next) == (prev, nxt), (
        f"{page}: 이전/다음 링크가 목차 순서와 다릅니다: 있는 것 (이전={r.prev}, 다음={r.next}), "
        f"기대 (이전={prev}, 다음={nxt})"
    )


def launch_targets(page: str) -> dict[str, str] | None:
    """노트북 페이지면 Colab과 Binder 단추가 가리켜야 할 주소. 노트북이 아니면 None."""
    entry = re.sub(r"\.html$", "", page)
    if not (book_root() / f"{entry}.ipynb").is_file():
        return None
    config = yaml.safe_load((book_root() / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    url = repo["url"].rstrip("/")
    branch = repo.get("branch", "main")
    prefix = (repo.get("path_to_book") or "").strip("/")
    nb = f"{prefix}/{entry}.ipynb" if prefix else f"{entry}.ipynb"
    org_repo = urlparse(url).path.strip("/")
    colab = config["launch_buttons"]["colab_url"].rstrip("/")
    binder = config["launch_buttons"]["binderhub_url"].rstrip("/")
    return {
        "Colab": f"{colab}/github/{org_repo}/blob/{branch}/{nb}",
        "Binder": f"{binder}/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{nb}",
    }


@pytest.mark.parametrize("page", PAGES)
def test_launch_buttons_point_at_notebook(release_site: Site, page: str) -> None:
    r = release_site.report(page)
    expected = launch_targets(page)
    if expected is None:
        bad = [b for b in r.launch if ".ipynb" in b["href"]]
        assert not bad, f"{page}: 노트북이 아닌 페이지에 노트북 실행 단추가 있습니다: {bad}"
        return
    found = {b["text"]: b["href"] for b in r.launch}
    assert found == expected, f"{page}: 실행 단추가 맞지 않습니다.\n있는 것: {found}\n기대: {expected}"
    assert r.launch_visible, f"{page}: 실행 드롭다운을 눌러도 링크가 보이지 않습니다."


@pytest.mark.parametrize("page", PAGES)
def test_phone_width_has_no_horizontal_scroll(release_site: Site, page: str) -> None:
    phone = release_site.report(page).phone
    limit = PHONE["width"] + PHONE_TOLERANCE
    assert phone["scroll_width"] <= limit, (
        f"{page}: 390 px 화면에서 가로 스크롤이 생깁니다 (scrollWidth={phone['scroll_width']}). "
        f"넘치는 요소: {phone['wide']}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_demos_keyboard_operable(release_site: Site, page: str) -> None:
    """모든 입력은 키보드 초점을 받고 화살표 키로 값이 바뀐다. 데모마다 적어도 한 입력은 그림을 바꾼다.

    (어떤 입력은 다른 입력의 값에 따라 그림을 바꾸지 않을 수 있다: 예를 들어 ReLU에서는 α가 쓰이지 않는다.)
    """
    r = release_site.report(page)
    problems = []
    for demo in r.demos:
        if not demo["has_img"]:
            problems.append(f"{demo['id']}: 그림(img, id 있음)이 없습니다")
            continue
        for p in demo["presses"]:
            if not p["focused"]:
                problems.append(f"{demo['id']}: {p['control']}에 키보드 초점을 줄 수 없습니다")
            elif not p["value_changed"]:
                problems.append(f"{demo['id']}: {p['control']}에서 {p['key']}를 눌러도 값이 바뀌지 않습니다")
        if demo["presses"] and not any(p["image_changed"] for p in demo["presses"]):
            problems.append(f"{demo['id']}: 어느 입력에서 화살표 키를 눌러도 그림이 바뀌지 않습니다")
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_book_has_keyboard_demos(release_site: Site) -> None:
    """위 검사가 헛돌지 않도록: 책 어딘가의 범위 입력에 초점을 주고 →를 누르면 그림이 바뀐다 (빌드된 페이지만)."""
    reports = [release_site.report(p) for p in PAGES if (html_dir() / p).is_file()]
    assert any(
        p["kind"] == "range" and p["key"] == "ArrowRight" and p["image_changed"]
        for r in reports
        for d in r.demos
        for p in d["presses"]
    ), "→ 키로 그림이 바뀐 범위 입력이 책 어디에도 없습니다."


def test_release_summary(release_site: Site) -> None:
    """무게가 가장 큰 페이지와 접근성 위반 요약을 출력한다 (pytest -s로 본다). 빌드된 페이지만."""
    reports = [release_site.report(p) for p in PAGES if (html_dir() / p).is_file()]
    assert reports, "빌드된 목차 페이지가 없습니다."
    heaviest = max(reports, key=lambda r: r.weight)
    print(f"\n가장 무거운 페이지: {heaviest.page}: {heaviest.breakdown(html_dir())}")
    for r in reports:
        impacts: dict[str, int] = {}
        for v in r.violations:
            impacts[v["impact"]] = impacts.get(v["impact"], 0) + len(v["nodes"])
        rules = ", ".join(f"{v['id']}({v['impact']}, {len(v['nodes'])})" for v in r.violations)
        print(
            f"  {r.page}: {r.weight / 1e6:.2f} MB (페이지 자신 {(r.weight - r.shared_weight) / 1e6:.2f} MB), "
            f"{r.seconds:.1f} s, 휴대폰 scrollWidth {r.phone.get('scroll_width')}, axe: {rules or '위반 없음'}"
        )


# --- 검색 ----------------------------------------------------------------------------------------------

SEARCH_TERMS = [e for e in glossary() if e.get("section")]

JS_SEARCH_AGAIN = """(query) => {
  // search.html?q=… 를 열었을 때 searchtools.js의 Search.init()이 부르는 것과 같은 함수로 다시 찾는다
  Search.stopPulse();
  document.getElementById('search-results').innerHTML = '';
  Search.performSearch(query);
}"""
JS_SEARCH_DONE = (
    "() => { const s = document.querySelector('#search-results .search-summary');"
    " return !!s && s.innerText.trim().length > 0; }"
)
JS_SEARCH_HITS = (
    "() => Array.from(document.querySelectorAll('#search-results ul.search li a')).map((a) => a.href)"
)


def search_many(context: Any, base_url: str, queries: list[str]) -> dict[str, list[str]]:
    """첫 검색어는 search.html?q=…로 열고, 나머지는 같은 탭에서 Sphinx의 Search.performSearch로 찾는다
    (페이지를 검색어마다 새로 여는 것보다 훨씬 빠르다). 검색어 → 결과 페이지 경로들(순서대로)."""
    found: dict[str, list[str]] = {}
    if not queries:
        return found
    found[queries[0]] = search_results(context, base_url, queries[0])
    tab = context.new_page()
    try:
        tab.goto(f"{base_url}search.html?q={quote(queries[0])}", wait_until="load")
        tab.wait_for_function(JS_SEARCH_DONE, timeout=60_000)
        for query in queries[1:]:
            tab.evaluate(JS_SEARCH_AGAIN, query)
            tab.wait_for_function(JS_SEARCH_DONE, timeout=60_000)
            pages: list[str] = []
            for href in tab.evaluate(JS_SEARCH_HITS):
                path = urlparse(href).path.lstrip("/")
                if path not in pages:
                    pages.append(path)
            found[query] = pages
    finally:
        tab.close()
    return found


@pytest.fixture(scope="session")
def search_hits(release_site: Site) -> dict[str, list[str]]:
    return search_many(release_site.context, release_site.base_url, [e["ko"] for e in SEARCH_TERMS])


def test_search_again_matches_url_search(release_site: Site, search_hits: dict[str, list[str]]) -> None:
    """같은 탭에서 다시 찾은 결과가 search.html?q=…를 새로 연 결과와 같다 (빠른 방법의 검사)."""
    for entry in SEARCH_TERMS[1:3]:
        fresh = search_results(release_site.context, release_site.base_url, entry["ko"])
        assert fresh == search_hits[entry["ko"]], f"'{entry['ko']}': {fresh} ≠ {search_hits[entry['ko']]}"


@pytest.mark.parametrize("entry", SEARCH_TERMS, ids=[e["en"] for e in SEARCH_TERMS])
def test_search_finds_term_section_page(search_hits: dict[str, list[str]], entry: dict[str, Any]) -> None:
    labels = toc_labels()
    if entry["section"] not in labels:
        pytest.fail(f"용어 '{entry['ko']}'의 section '{entry['section']}'이 목차에 없습니다.")
    expected = labels[entry["section"]][0] + ".html"
    if not (html_dir() / expected).is_file():
        pytest.fail(f"용어 '{entry['ko']}'를 소개하는 페이지가 빌드되지 않았습니다: {expected}")
    found = search_hits[entry["ko"]]
    assert expected in found, (
        f"'{entry['ko']}' 검색 결과에 그 용어를 소개하는 페이지 {expected}({entry['section']})가 없습니다. "
        f"찾은 것: {found}"
    )

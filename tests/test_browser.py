"""빌드된 책을 헤드리스 Chromium으로 열어 확인한다 (``pytest -m browser tests/test_browser.py``).

먼저 책을 빌드하고(``make html``), ``python tests/find_browser.py``로 브라우저·한글 글꼴·로컬 MathJax를
준비한다(테스트도 같은 준비를 하며, 준비할 수 없으면 건너뛰지 않고 실패한다).
다른 빌드를 보려면 ``BOOK_HTML_DIR=/경로/_build/html``.

목차(_toc.yml)의 모든 페이지마다:
- 콘솔 오류, 처리되지 않은 예외, 실패한 로컬 요청이 없다.
- ``<html lang="ko">``.
- 본문과 제목의 한글을 실제로 그린 글꼴이 한글 글꼴이다 (CDP CSS.getPlatformFontsForNode + fc-list :lang=ko).
- 수식이 있으면 MathJax가 모두 그렸다 (mjx-container, 오류 없음, 본문에 날것의 $$ 없음).
- 모든 <img>에 파일 이름이 아닌 대체 글(alt)이 있다.
- 커널 없는 데모는 입력을 바꾸면 그림이 바뀐다.
- 전체 페이지 스크린숏을 _build/screenshots/<페이지>.png로 남긴다 (몇 페이지는 어두운 테마도).
검색: 한국어·영어 검색어가 그 낱말을 쓰는 페이지를 모두 찾는다. 어두운 테마 전환이 된다.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    LAUNCH_ARGS,
    VIEWPORT,
    PageReport,
    article_text,
    full_page_screenshot,
    html_dir,
    install_routes,
    iter_bigrams,
    korean_font_families,
    page_slug,
    screenshot_dir,
    search_results,
    serve,
    toc_pages,
    visit,
)
from find_browser import (
    BrowserSetupError,
    book_uses_cdn_mathjax,
    ensure_browser,
    ensure_korean_font,
    ensure_mathjax,
)

pytestmark = pytest.mark.browser

NO_BOOK = "(빌드된 책 없음)"
PAGES = toc_pages() or [NO_BOOK]
DARK_PAGES = list(dict.fromkeys([PAGES[0], PAGES[len(PAGES) // 2], PAGES[-1]]))

# (검색어, 그 검색어로 찾아야 하는 페이지를 고르는 낱말: 본문에 이 낱말이 있는 페이지는 모두 나와야 한다)
SEARCHES = [
    ("은닉층", "은닉층"),
    ("역전파", "역전파"),
    ("기울기", "기울기"),
    ("시그모이드", "시그모이드"),
    ("은닉", "은닉"),
    ("전파", "전파"),
    ("은닉층을", "은닉층"),
    ("시그모이드를", "시그모이드"),
    ("ReLU를", "relu"),
    ("ReLU", "relu"),
    ("softmax", "softmax"),
]


LATIN_WORD_RE = re.compile(r"[^\W가-힣]+")


@dataclass
class Site:
    context: Any
    base_url: str
    reports: dict[str, PageReport] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def report(self, page: str) -> PageReport:
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
                self.reports[page] = visit(self.context, self.base_url, page, shots=screenshot_dir())
            except Exception as exc:  # 한 번 실패한 페이지를 테스트마다 다시 열지 않는다
                self.failures[page] = f"{type(exc).__name__}: {exc}"
                raise
        return self.reports[page]


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    root = html_dir()
    if not (root / "search.html").is_file():
        pytest.fail(
            f"빌드된 책이 없습니다: {root}/search.html. 먼저 책을 빌드하십시오 (BOOK_HTML_DIR로 바꿀 수 있습니다)."
        )
    try:
        executable = ensure_browser()
        ensure_korean_font()
        mathjax = ensure_mathjax() if book_uses_cdn_mathjax(root) else None
    except BrowserSetupError as exc:
        pytest.fail(str(exc))
    from playwright.sync_api import sync_playwright

    server = serve(root)
    pw = sync_playwright().start()
    browser = None
    try:
        browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light", locale="ko-KR")
        context.set_default_timeout(60_000)  # 부하가 큰 2코어 기계에서 긴 페이지의 전체 스크린숏도 견디게
        install_routes(context, mathjax, blocked=[])
        yield Site(context, server.base_url)
        context.close()
    finally:
        if browser is not None:
            browser.close()
        pw.stop()
        server.close()


# --- 페이지마다 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly(site: Site, page: str) -> None:
    r = site.report(page)
    problems = (
        [f"콘솔 오류: {e}" for e in r.console_errors]
        + [f"처리되지 않은 예외: {e}" for e in r.page_errors]
        + [f"실패한 로컬 요청: {e}" for e in r.failed_local]
    )
    assert not problems, f"{page}:\n" + "\n".join(problems)
    assert r.screenshot is not None and r.screenshot.stat().st_size > 0


@pytest.mark.parametrize("page", PAGES)
def test_html_lang_is_korean(site: Site, page: str) -> None:
    assert site.report(page).lang == "ko"


@pytest.fixture(scope="session")
def korean_fonts() -> set[str]:
    families = korean_font_families()
    assert families, "fc-list :lang=ko가 비었습니다: 한글 글꼴(fonts-nanum)이 없습니다."
    return families


@pytest.mark.parametrize("page", PAGES)
def test_hangul_uses_korean_font(site: Site, page: str, korean_fonts: set[str]) -> None:
    r = site.report(page)
    assert "body" in r.probe_fonts, f"{page}: 본문(article)을 찾지 못했습니다."
    for where, fonts in r.probe_fonts.items():
        assert fonts, f"{page}: {where}의 한글을 그린 글꼴 정보를 얻지 못했습니다."
        names = [f["familyName"] for f in fonts]
        not_korean = [n for n in names if n not in korean_fonts]
        assert not not_korean, (
            f"{page}: {where}의 한글을 한글 글꼴이 아닌 {not_korean}로 그렸습니다 (두부 글자)."
        )


@pytest.mark.parametrize("page", PAGES)
def test_math_rendered(site: Site, page: str) -> None:
    m = site.report(page).math
    assert m["raw_dollars"] == 0, f"{page}: 본문에 그려지지 않은 $$가 {m['raw_dollars']}번 보입니다."
    if m["math_elements"] == 0:
        return
    assert m["mathjax_loaded"], f"{page}: 수식이 있지만 MathJax가 실리지 않았습니다."
    assert m["unrendered"] == 0, (
        f"{page}: 수식 {m['math_elements']}개 중 {m['unrendered']}개를 그리지 못했습니다."
    )
    assert m["containers"] >= m["math_elements"]
    assert m["errors"] == 0, f"{page}: MathJax 오류(mjx-merror)가 {m['errors']}개 있습니다."


FILENAME_ALT_RE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$|^(\.\./)*_images/", re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES)
def test_images_have_alt_text(site: Site, page: str) -> None:
    bad = [
        img
        for img in site.report(page).images
        if not (img["alt"] or "").strip() or FILENAME_ALT_RE.search(img["alt"].strip())
    ]
    assert not bad, (
        f"{page}: 대체 글(alt)이 없거나 파일 이름뿐인 그림이 있습니다 "
        f"(노트북 셀 메타데이터 mystnb.image.alt 또는 glue:figure의 :alt:로 주십시오): {bad}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_demos_respond_to_input(site: Site, page: str) -> None:
    demos = site.report(page).demos
    dead = [d for d in demos if d["controls"] and not d["changed"]]
    assert not dead, f"{page}: 입력을 바꿔도 그림이 그대로인 데모가 있습니다: {dead}"


def test_book_has_math_and_demos(site: Site) -> None:
    """위 검사들이 헛돌지 않도록: 책 전체에 수식과 움직이는 데모가 적어도 하나씩 있다."""
    reports = [site.report(p) for p in PAGES]
    assert any(r.math.get("containers", 0) > 0 for r in reports), "책 어디에도 그려진 수식이 없습니다."
    assert any(d["changed"] for r in reports for d in r.demos), "책 어디에도 움직이는 데모가 없습니다."


# --- 검색 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def page_texts() -> dict[str, str]:
    return {p: article_text(p).lower() for p in PAGES if p != NO_BOOK and (html_dir() / p).is_file()}


@pytest.mark.parametrize(("query", "word"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_finds_pages(site: Site, page_texts: dict[str, str], query: str, word: str) -> None:
    if re.fullmatch(r"[가-힣]+", word):
        # 한국어: 낱말의 일부로도 찾으므로 본문에 그 글자열이 있는 페이지
        expected = {p for p, text in page_texts.items() if word in text}
    else:
        # 영어: Sphinx처럼 낱말 단위 (softmax로 SoftmaxCrossEntropy까지 찾지는 않는다)
        expected = {p for p, text in page_texts.items() if word.lower() in set(LATIN_WORD_RE.findall(text))}
    assert expected, f"'{word}'를 쓰는 페이지가 없어 검색을 확인할 수 없습니다."
    found = set(search_results(site.context, site.base_url, query))
    missing = sorted(expected - found)
    assert not missing, (
        f"'{query}' 검색이 '{word}'를 쓰는 페이지를 찾지 못했습니다: {missing} (찾은 것: {sorted(found)})"
    )
    if re.fullmatch(r"[가-힣]+", word):
        # 한국어 검색은 모든 두 음절 조각이 맞는 페이지만 낸다 (예: '역전파'에 '순전파'만 있는 페이지는 없다)
        grams = list(iter_bigrams(word)) or [word]
        extra = sorted(p for p in found if p in page_texts and not all(g in page_texts[p] for g in grams))
        assert not extra, f"'{query}' 검색 결과에 조각 {grams}가 다 있지 않은 페이지가 있습니다: {extra}"


# --- 어두운 테마 ---------------------------------------------------------------------------------


# (검색어, 첫 결과여야 하는 페이지): 제목에 검색어 전체가 있는 장이 맨 앞에 온다 (book/_ext/korean_search.py의 순위).
# 더 많은 검색어는 tests/test_korean_search.py가 책의 글로 만든 작은 사이트에서 확인한다.
SEARCH_FIRST = [
    ("역전파", "book/part3/backprop.html"),
    ("기울기 소실", "book/part3/vanishing.html"),
    ("은닉층을", "book/part2/mlp.html"),
    ("순전파", "book/part2/forward.html"),
]


@pytest.mark.parametrize(("query", "first"), SEARCH_FIRST, ids=[q for q, _ in SEARCH_FIRST])
def test_search_ranks_chapter_first(site: Site, query: str, first: str) -> None:
    found = search_results(site.context, site.base_url, query)
    assert found and found[0] == first, f"'{query}'의 첫 결과가 {first}가 아닙니다: {found[:3]}"


@pytest.mark.parametrize("page", DARK_PAGES)
def test_dark_mode_toggle(site: Site, page: str) -> None:
    site.report(page)  # 페이지가 있는지 먼저 확인한다
    tab = site.context.new_page()
    try:
        # 밝은 테마에서 시작한다 (페이지 스크립트보다 먼저 실행된다)
        tab.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")
        tab.goto(site.base_url + page, wait_until="load")
        assert tab.evaluate("() => document.documentElement.dataset.theme") == "light"
        button = tab.locator(".theme-switch-button:visible").first
        for _ in range(3):  # light → dark (→ auto → light) 순서로 돈다
            button.click()
            if tab.evaluate("() => document.documentElement.dataset.theme") == "dark":
                break
        assert tab.evaluate("() => document.documentElement.dataset.theme") == "dark", (
            f"{page}: 테마 전환 단추를 눌러도 어두운 테마가 되지 않습니다."
        )
        path: Path = screenshot_dir() / f"{page_slug(page)}-dark.png"
        cdp = site.context.new_cdp_session(tab)
        full_page_screenshot(cdp, tab, path)
        cdp.detach()
        assert path.stat().st_size > 0
    finally:
        tab.close()

"""브라우저 테스트(tests/test_browser.py)의 도구: 빌드된 책 찾기, 로컬 서버, 페이지 방문 기록.

- 빌드된 HTML 폴더: ``$BOOK_HTML_DIR`` (기본 <저장소>/_build/html). 목차는 ``$BOOK_ROOT/_toc.yml``
  (기본: HTML 폴더의 두 단계 위, 즉 <책>/_build/html → <책>).
- 서버: 127.0.0.1의 임의 포트에서 http.server를 스레드로 띄운다.
- 외부 요청: MathJax CDN 요청은 로컬 MathJax(tests/find_browser.py가 준비)로 돌려주고, 그 밖의 외부 요청은
  막는다(테스트 환경에는 네트워크가 없고, 있더라도 결과가 네트워크에 좌우되지 않게).
"""

from __future__ import annotations

import base64
import functools
import html
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import yaml

REPO = Path(__file__).resolve().parents[1]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
HANGUL_PROBE = "한글 글꼴 확인 은닉층과 역전파"


def html_dir() -> Path:
    return Path(os.environ.get("BOOK_HTML_DIR", REPO / "_build" / "html")).resolve()


def book_root() -> Path:
    env = os.environ.get("BOOK_ROOT")
    return Path(env).resolve() if env else html_dir().parents[1]


def screenshot_dir() -> Path:
    return html_dir().parent / "screenshots"


def toc_files(toc: dict[str, Any]) -> list[str]:
    """jb-book 형식 목차의 root와 모든 file 항목(확장자 없이)을 순서대로."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    if "root" in toc:
        found.append(str(toc["root"]))
    walk(toc)
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in found]


def toc_pages() -> list[str]:
    """목차에 있는 페이지의 HTML 경로(HTML 폴더 기준, 예: book/part1/perceptron.html)."""
    toc_path = book_root() / "_toc.yml"
    if not toc_path.is_file():
        return []
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8")) or {}
    return [f"{f}.html" for f in toc_files(toc)]


def page_slug(page: str) -> str:
    """스크린숏 파일 이름: book/part1/perceptron.html → book-part1-perceptron."""
    return re.sub(r"\.html$", "", page).replace("/", "-")


# --- 쪽 글(검색 결과의 기준) -------------------------------------------------------------------

_ARTICLE_RE = re.compile(r"<article[^>]*bd-article[^>]*>(.*)</article>", re.DOTALL)
_DROP_RE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")


def article_text(page: str) -> str:
    """빌드된 페이지 본문(article)의 글. 스크립트·스타일은 뺀다. 검색 결과와 비교할 기준이다."""
    src = (html_dir() / page).read_text(encoding="utf-8")
    m = _ARTICLE_RE.search(src)
    body = m.group(1) if m else src
    return html.unescape(_TAG_RE.sub(" ", _DROP_RE.sub(" ", body)))


# --- 로컬 서버 -----------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Server:
    root: Path
    httpd: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # 브라우저가 연결을 먼저 끊는 일(BrokenPipe 등)은 흔하고 해롭지 않다
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(root: Path) -> Server:
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="book-http", daemon=True)
    thread.start()
    return Server(root, httpd, thread)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


# --- 외부 요청 처리 ------------------------------------------------------------------------------

MATHJAX_URL_RE = re.compile(r"/mathjax@3[^/]*/(?P<rest>[^?#]+)")


def install_routes(context: Any, mathjax_root: Path | None, blocked: list[str]) -> None:
    """MathJax CDN 요청은 로컬 파일로, 나머지 외부 요청은 막고 blocked에 적는다."""

    def handle(route: Any) -> None:
        url = route.request.url
        m = MATHJAX_URL_RE.search(url)
        if m and mathjax_root is not None:
            local = (mathjax_root / m.group("rest")).resolve()
            if local.is_file() and mathjax_root.resolve() in local.parents:
                route.fulfill(path=str(local))
                return
        blocked.append(url)
        route.abort()

    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), handle)


# --- 페이지 방문 기록 ----------------------------------------------------------------------------


@dataclass
class PageReport:
    page: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)
    lang: str | None = None
    probe_fonts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    math: dict[str, Any] = field(default_factory=dict)
    images: list[dict[str, str]] = field(default_factory=list)
    demos: list[dict[str, Any]] = field(default_factory=list)
    screenshot: Path | None = None


class PageWatcher:
    """한 페이지의 콘솔 오류, 처리되지 않은 예외, 실패한 로컬 요청을 모은다."""

    def __init__(self, page: Any, report: PageReport) -> None:
        self.report = report
        page.on("console", self._console)
        page.on("pageerror", lambda exc: report.page_errors.append(str(exc)))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        # 막아 둔 외부 자원의 "Failed to load resource"는 로컬 문제가 아니다
        if msg.text.startswith("Failed to load resource") and url and not is_local(url):
            return
        self.report.console_errors.append(f"{msg.text} ({url})")

    def _request_failed(self, request: Any) -> None:
        if is_local(request.url) and not request.url.startswith(("data:", "blob:")):
            self.report.failed_local.append(f"{request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        if is_local(response.url) and response.status >= 400:
            self.report.failed_local.append(f"{response.url}: HTTP {response.status}")


JS_INSERT_PROBES = """(text) => {
  const targets = {
    body: document.querySelector('article.bd-article p') || document.querySelector('article.bd-article'),
    heading: document.querySelector('article.bd-article h1'),
  };
  const made = [];
  for (const [name, el] of Object.entries(targets)) {
    if (!el) continue;
    const span = document.createElement('span');
    span.id = 'd2l-probe-' + name;
    span.textContent = text;
    el.appendChild(span);
    made.push(name);
  }
  return made;
}"""

JS_REMOVE_PROBES = "() => document.querySelectorAll('[id^=d2l-probe-]').forEach((el) => el.remove())"

JS_MATH = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) {}
  }
  const article = document.querySelector('article.bd-article') || document.body;
  const mathEls = Array.from(article.querySelectorAll('.math'));
  return {
    mathjax_loaded: !!(window.MathJax && MathJax.version),
    math_elements: mathEls.length,
    unrendered: mathEls.filter((el) => !el.querySelector('mjx-container')).length,
    containers: document.querySelectorAll('mjx-container').length,
    errors: document.querySelectorAll('mjx-merror').length,
    raw_dollars: (() => {
      // 코드(pre, code) 밖의 보이는 글에서만 센다
      const clone = article.cloneNode(true);
      clone.querySelectorAll('pre, code, script, style').forEach((el) => el.remove());
      return (clone.textContent.match(/\\$\\$/g) || []).length;
    })(),
  };
}"""

JS_IMAGES = """() => Array.from(document.querySelectorAll('img')).map((img) => ({
  src: (img.getAttribute('src') || '').slice(0, 120),
  alt: img.getAttribute('alt'),
}))"""

JS_DEMOS = """() => Array.from(document.querySelectorAll('.d2l-demo')).slice(0, 6).map((demo) => {
  const img = demo.querySelector('img');
  const before = img ? img.src : null;
  const controls = Array.from(demo.querySelectorAll('input[type=range], select')).filter((el) =>
    el.tagName === 'SELECT' ? el.options.length > 1 : Number(el.max) > Number(el.min));
  if (!controls.length) return {id: demo.id, controls: 0, changed: null};
  const el = controls[0];
  if (el.tagName === 'SELECT') {
    el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
  } else {
    el.value = String(Number(el.value) === Number(el.max) ? el.min : el.max);
  }
  el.dispatchEvent(new Event('input', {bubbles: true}));
  const after = img ? img.src : null;
  return {id: demo.id, controls: controls.length, changed: before !== after};
})"""


def platform_fonts(cdp: Any, selector: str) -> list[dict[str, Any]]:
    """CDP로 selector 요소의 글자를 실제로 그린 시스템 글꼴 목록을 얻는다."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    if not node:
        return []
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def full_page_screenshot(cdp: Any, page: Any, path: Path) -> None:
    """전체 페이지 PNG 스크린숏. CDP의 optimizeForSpeed(빠른 PNG 압축)로 page.screenshot보다 30~40% 빠르다."""
    width, height = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = cdp.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "optimizeForSpeed": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def visit(context: Any, base_url: str, page_path: str, *, shots: Path | None) -> PageReport:
    """페이지를 열고 확인할 것들을 모두 기록한다 (스크린숏 → 글꼴 → 수식 → 그림 → 데모 순)."""
    report = PageReport(page_path)
    page = context.new_page()
    PageWatcher(page, report)
    try:
        page.goto(base_url + page_path, wait_until="load")
        report.math = page.evaluate(JS_MATH)
        report.lang = page.evaluate("() => document.documentElement.getAttribute('lang')")
        cdp = context.new_cdp_session(page)
        if shots is not None:
            report.screenshot = shots / f"{page_slug(page_path)}.png"
            full_page_screenshot(cdp, page, report.screenshot)
        made = page.evaluate(JS_INSERT_PROBES, HANGUL_PROBE)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        for name in made:
            report.probe_fonts[name] = platform_fonts(cdp, f"#d2l-probe-{name}")
        cdp.detach()
        page.evaluate(JS_REMOVE_PROBES)
        report.images = page.evaluate(JS_IMAGES)
        report.demos = page.evaluate(JS_DEMOS)
        page.wait_for_timeout(50)  # 데모 입력 뒤에 생긴 콘솔 오류도 모은다
    finally:
        page.close()
    return report


def korean_font_families() -> set[str]:
    """fc-list :lang=ko 가 알려 주는 한글을 그릴 수 있는 글꼴 이름들."""
    out = subprocess.run(
        ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def search_results(context: Any, base_url: str, query: str) -> list[str]:
    """search.html?q=…로 검색하고 결과 페이지들의 HTML 경로를 돌려준다."""
    page = context.new_page()
    try:
        page.goto(f"{base_url}search.html?q={quote(query)}", wait_until="load")
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return !!s && s.innerText.trim().length > 0; }",
            timeout=60_000,
        )
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('#search-results ul.search li a')).map((a) => a.href)"
        )
    finally:
        page.close()
    pages = []
    for href in hrefs:
        path = urlparse(href).path.lstrip("/")
        if path not in pages:
            pages.append(path)
    return pages


def iter_bigrams(word: str) -> Iterator[str]:
    for i in range(len(word) - 1):
        yield word[i : i + 2]

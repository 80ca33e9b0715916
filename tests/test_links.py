"""빌드된 책(_build/html)의 링크 검사 (브라우저는 쓰지 않지만 빌드가 있어야 하므로 browser 게이트에서 돈다).

- 내부 링크: 모든 빌드된 페이지(_static, _sources, _images 아래는 빼고)의 모든 ``<a href>``가 있는 파일을
  가리키고, ``#앵커``가 있으면 그 파일에 그 id(또는 name)가 있다. 로컬 ``<img src>``, ``<link href>``,
  ``<script src>``의 파일도 있어야 한다.
- 외부 링크(http/https): 모두 모아 ``_build/external_links.txt``에 적는다(주소와 그 주소를 쓰는 페이지).
  호스트는 모두 아래 ``EXTERNAL_HOSTS`` 허용 목록에 있어야 한다. 새 외부 링크를 넣는 것은 의식적인 결정이
  되도록, 새 호스트는 이 목록에 이유와 함께 더한다. (외부 주소에 실제로 접속하지는 않는다: 네트워크 없음.)

다른 빌드를 보려면 ``BOOK_HTML_DIR=/경로/_build/html``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from browser_support import html_dir

pytestmark = pytest.mark.browser

# 외부 링크 허용 목록: {호스트: 이유}
EXTERNAL_HOSTS: dict[str, str] = {
    "github.com": "저장소 단추, 이슈 단추, 원본 링크 (_config.yml repository.url)",
    "colab.research.google.com": "노트북을 Colab에서 여는 실행 단추 (launch_buttons.colab_url)",
    "mybinder.org": "노트북을 Binder에서 여는 실행 단추 (launch_buttons.binderhub_url)",
    "doi.org": "참고 문헌의 DOI 링크 (references.bib)",
    "d2l.ai": "참고 문헌: Dive into Deep Learning 온라인 책",
    "www.deeplearningbook.org": "참고 문헌: Goodfellow, Bengio, Courville, Deep Learning 온라인 책",
    "creativecommons.org": "바닥글의 라이선스 링크 CC BY-SA 4.0 (_config.yml extra_footer)",
}

SKIP_DIRS = ("_static", "_sources", "_images")
SKIP_SCHEMES = ("mailto", "javascript", "data", "tel", "blob", "about")
RESOURCE_ATTRS = {"img": "src", "script": "src", "link": "href", "source": "src"}


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    anchors: list[str] = field(default_factory=list)  # <a href> 값들
    resources: list[str] = field(default_factory=list)  # img/script/link/source의 주소들


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.result.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.result.ids.add(values["name"])
        if tag == "a" and "href" in values:
            self.result.anchors.append(values["href"])
        attr = RESOURCE_ATTRS.get(tag)
        if attr and attr in values:
            self.result.resources.append(values[attr])

    handle_startendtag = handle_starttag


def parse_html(text: str) -> ParsedPage:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.result


@cache
def parsed(path: Path) -> ParsedPage:
    return parse_html(path.read_text(encoding="utf-8", errors="replace"))


def built_pages(root: Path) -> list[str]:
    """HTML 폴더 기준 경로 (예: book/part1/perceptron.html)."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if p.relative_to(root).parts[0] not in SKIP_DIRS
    )


@dataclass(frozen=True)
class Target:
    kind: str  # "external", "skip", "internal"
    url: str
    path: str = ""  # 내부: HTML 폴더 기준 파일 경로
    fragment: str = ""


def classify(page: str, href: str) -> Target:
    """페이지(HTML 폴더 기준)에서 쓴 href를 외부/건너뜀/내부(파일 경로, 앵커)로 나눈다."""
    href = href.strip()
    parts = urlsplit(href)
    if parts.scheme in SKIP_SCHEMES:
        return Target("skip", href)
    if parts.scheme in ("http", "https") or href.startswith("//"):
        return Target("external", href)
    if parts.scheme:
        return Target("skip", href)
    base = "http://book.invalid/" + page
    resolved = urlsplit(urljoin(base, href))
    path = unquote(resolved.path.lstrip("/"))
    if not path or path.endswith("/"):
        path += "index.html"
    return Target("internal", href, str(PurePosixPath(path)), unquote(resolved.fragment))


def check_internal(root: Path, page: str, target: Target, *, need_fragment: bool = True) -> str | None:
    """문제가 있으면 한국어 설명, 없으면 None."""
    file = root / target.path
    if file.is_dir():
        file = file / "index.html"
    if not file.resolve().is_relative_to(root.resolve()):
        return f"{page}: '{target.url}'가 책 폴더 밖을 가리킵니다"
    if not file.is_file():
        return f"{page}: '{target.url}' → 파일 {target.path}이 없습니다"
    if need_fragment and target.fragment and file.suffix == ".html":
        if target.fragment not in parsed(file).ids:
            return f"{page}: '{target.url}' → {target.path}에 id '{target.fragment}'가 없습니다"
    return None


@dataclass
class LinkReport:
    internal_checked: int = 0
    resources_checked: int = 0
    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@cache
def link_report() -> LinkReport:
    root = html_dir()
    report = LinkReport()
    for page in built_pages(root):
        info = parsed(root / page)
        for href in info.anchors:
            target = classify(page, href)
            if target.kind == "external":
                report.external[target.url].add(page)
            elif target.kind == "internal":
                report.internal_checked += 1
                problem = check_internal(root, page, target)
                if problem:
                    report.broken.append(problem)
        for src in info.resources:
            target = classify(page, src)
            if target.kind == "internal":
                report.resources_checked += 1
                problem = check_internal(root, page, target, need_fragment=False)
                if problem:
                    report.broken.append(problem)
    return report


def external_links_file() -> Path:
    return html_dir().parent / "external_links.txt"


def write_external_links(report: LinkReport) -> Path:
    out = external_links_file()
    lines = [
        "# 빌드된 책의 외부 링크 (tests/test_links.py가 만듭니다). 주소<TAB>그 주소를 쓰는 페이지들",
        f"# 외부 링크 {len(report.external)}개, 호스트 {len({urlsplit(u).hostname for u in report.external})}개",
    ]
    for url in sorted(report.external):
        lines.append(f"{url}\t{' '.join(sorted(report.external[url]))}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


# --- 검사 도구 자체의 검사 ---------------------------------------------------------------------------


def test_classify_resolves_relative_links() -> None:
    t = classify("book/part1/perceptron.html", "../part2/mlp.html#sec-mlp-hidden")
    assert (t.kind, t.path, t.fragment) == ("internal", "book/part2/mlp.html", "sec-mlp-hidden")
    t = classify("book/part1/perceptron.html", "#equation-eq-perceptron")
    assert (t.kind, t.path, t.fragment) == (
        "internal",
        "book/part1/perceptron.html",
        "equation-eq-perceptron",
    )
    t = classify("book/intro.html", "../search.html?q=%EC%9D%80%EB%8B%89")
    assert (t.kind, t.path) == ("internal", "search.html")
    assert classify("x.html", "https://github.com/a/b").kind == "external"
    assert classify("x.html", "//cdn.example.org/x.js").kind == "external"
    assert classify("x.html", "mailto:a@b.c").kind == "skip"
    assert classify("a/b.html", "../").path == "index.html"
    assert classify("a/b.html", "%ED%95%9C.html").path == "a/한.html"


def test_parser_collects_ids_links_and_resources() -> None:
    info = parse_html(
        '<p id="x"><a name="old"></a><a href="y.html#z">y</a><img src="_images/a.png" alt="a"/>'
        '<link rel="stylesheet" href="s.css"><span id="w"></span></p>'
    )
    assert info.ids == {"x", "old", "w"}
    assert info.anchors == ["y.html#z"]
    assert info.resources == ["_images/a.png", "s.css"]


def test_checker_catches_planted_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<h1 id="top">a</h1>', encoding="utf-8")
    ok = classify("b.html", "a.html#top")
    missing_file = classify("b.html", "nope.html")
    missing_id = classify("b.html", "a.html#nope")
    assert check_internal(tmp_path, "b.html", ok) is None
    assert "nope.html" in (check_internal(tmp_path, "b.html", missing_file) or "")
    assert "nope" in (check_internal(tmp_path, "b.html", missing_id) or "")
    assert check_internal(tmp_path, "b.html", classify("b.html", "../../etc/passwd"))


# --- 빌드된 책 ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> LinkReport:
    root = html_dir()
    if not (root / "index.html").is_file():
        pytest.fail(
            f"빌드된 책이 없습니다: {root}/index.html. 먼저 책을 빌드하십시오 (BOOK_HTML_DIR로 바꿀 수 있습니다)."
        )
    return link_report()


def test_internal_links_resolve(report: LinkReport) -> None:
    assert report.internal_checked > 100, f"검사한 내부 링크가 너무 적습니다: {report.internal_checked}"
    counts = Counter(b.split(":")[0] for b in report.broken)
    assert not report.broken, (
        f"깨진 내부 링크 {len(report.broken)}개 (페이지별 {dict(counts)}):\n" + "\n".join(report.broken[:80])
    )
    print(f"\n내부 링크 {report.internal_checked}개, 로컬 자원 {report.resources_checked}개를 확인했습니다.")


def test_external_links_listed_and_allowed(report: LinkReport) -> None:
    out = write_external_links(report)
    assert out.is_file()
    hosts = {urlsplit(u).hostname or "" for u in report.external}
    unknown = sorted(hosts - set(EXTERNAL_HOSTS))
    assert not unknown, (
        f"허용 목록에 없는 외부 호스트입니다: {unknown}. 일부러 넣은 링크라면 tests/test_links.py의 "
        f"EXTERNAL_HOSTS에 이유와 함께 더하십시오. 목록 전체: {out}\n"
        + "\n".join(
            f"{u}  ({', '.join(sorted(report.external[u]))})"
            for u in sorted(report.external)
            if urlsplit(u).hostname in unknown
        )
    )
    insecure = sorted(u for u in report.external if u.startswith("http://"))
    assert not insecure, f"https가 아닌 외부 링크가 있습니다: {insecure}"


def test_source_links_point_into_the_repository(report: LinkReport) -> None:
    """저장소 관련 외부 링크(GitHub, Colab, Binder)는 모두 이 책의 저장소를 가리킨다."""
    repo = "nn-textbook-ko/nn-textbook"
    bad = sorted(
        u
        for u in report.external
        if urlsplit(u).hostname in ("colab.research.google.com", "mybinder.org") and repo not in u
    )
    assert not bad, f"다른 저장소를 가리키는 실행 단추가 있습니다: {bad}"

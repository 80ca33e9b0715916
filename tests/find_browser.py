"""브라우저 테스트에 필요한 것(Chromium, 한글 글꼴, 로컬 MathJax)을 찾고, 없으면 설치한다.

``python tests/find_browser.py``로 실행하면(Makefile이 브라우저 테스트 전에 부른다) 찾은 경로를 출력하고,
준비할 수 없으면 이유를 한국어로 출력하고 1로 끝난다. 테스트(tests/browser_support.py)도 같은 함수를 쓴다.

- Chromium: ``$BROWSER_PATH`` → /usr/bin/chromium 등 시스템 브라우저 → Playwright가 이미 받아 둔 브라우저.
  없으면 root일 때 ``apt-get install -y chromium fonts-nanum``, 아니면 ``playwright install chromium``.
- 한글 글꼴: ``fc-list :lang=ko``가 비었으면 root일 때 ``apt-get install -y fonts-nanum``.
- MathJax 3: 빌드된 책이 MathJax를 CDN(jsdelivr)에서 불러올 때만 필요하다(책이 MathJax를 함께 배포하면
  필요 없다). 테스트 환경에는 그 네트워크가 없으므로 npm 레지스트리에서 ``mathjax@3``을 캐시 폴더
  (``$D2L_MATHJAX_DIR``, 기본 ~/.cache/nn-textbook/mathjax3)에 한 번 받아 두고, 브라우저 테스트가 CDN 요청을
  그 파일로 돌려준다.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_BROWSERS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
MATHJAX_VERSION = "3"
MATHJAX_ENTRY = Path("node_modules") / "mathjax" / "es5" / "tex-mml-chtml.js"


class BrowserSetupError(RuntimeError):
    """브라우저 테스트를 준비할 수 없을 때 (테스트는 건너뛰지 않고 이 메시지로 실패한다)."""


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _run(cmd: list[str], timeout: float = 900) -> bool:
    print("실행:", " ".join(cmd), flush=True)
    try:
        proc = subprocess.run(cmd, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"  실패: {exc}", flush=True)
        return False
    return proc.returncode == 0


def _apt_install(*packages: str) -> bool:
    env_cmd = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if _run(env_cmd):
        return True
    return _run(["apt-get", "update"]) and _run(env_cmd)


def playwright_browser() -> str | None:
    """Playwright가 이미 받아 둔 Chromium 실행 파일 (없으면 None)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # 드라이버를 띄울 수 없는 환경
        return None
    return path if path and Path(path).is_file() else None


def find_browser() -> str | None:
    """쓸 수 있는 Chromium 실행 파일의 경로를 찾는다 (설치하지 않는다)."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).is_file() else None
    for path in SYSTEM_BROWSERS:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return playwright_browser()


def has_korean_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def ensure_browser() -> str:
    """Chromium 경로를 돌려준다. 없으면 설치를 시도하고, 그래도 없으면 BrowserSetupError."""
    path = find_browser()
    if path:
        return path
    env = os.environ.get("BROWSER_PATH")
    if env:
        raise BrowserSetupError(f"BROWSER_PATH가 가리키는 브라우저가 없습니다: {env}")
    if _is_root() and shutil.which("apt-get"):
        _apt_install("chromium", "fonts-nanum")
    else:
        _run([sys.executable, "-m", "playwright", "install", "chromium"])
    path = find_browser()
    if path:
        return path
    raise BrowserSetupError(
        "Chromium을 찾지도 설치하지도 못했습니다. root라면 'apt-get install -y chromium fonts-nanum', "
        "아니면 'python -m playwright install chromium'을 실행하거나 BROWSER_PATH에 브라우저 경로를 주십시오."
    )


def ensure_korean_font() -> None:
    if has_korean_font():
        return
    if _is_root() and shutil.which("apt-get"):
        _apt_install("fonts-nanum")
        subprocess.run(["fc-cache", "-f"], check=False)
    if not has_korean_font():
        raise BrowserSetupError(
            "한글 글꼴이 없습니다 (fc-list :lang=ko가 비었습니다). 'apt-get install -y fonts-nanum'을 실행하십시오."
        )


def mathjax_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nn-textbook" / "mathjax3"
    return Path(os.environ.get("D2L_MATHJAX_DIR", default))


def find_mathjax() -> Path | None:
    """로컬 MathJax 3 패키지 폴더(…/node_modules/mathjax)를 돌려준다 (없으면 None)."""
    entry = mathjax_dir() / MATHJAX_ENTRY
    return entry.parents[1] if entry.is_file() else None


def ensure_mathjax() -> Path:
    found = find_mathjax()
    if found:
        return found
    npm = shutil.which("npm")
    if npm:
        target = mathjax_dir()
        target.mkdir(parents=True, exist_ok=True)
        _run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
                str(target),
                f"mathjax@{MATHJAX_VERSION}",
            ],
            timeout=300,
        )
    found = find_mathjax()
    if found:
        return found
    raise BrowserSetupError(
        f"로컬 MathJax 3을 준비하지 못했습니다 ({mathjax_dir() / MATHJAX_ENTRY} 없음). "
        "npm이 있으면 'npm install --prefix <폴더> mathjax@3'을 실행하고 D2L_MATHJAX_DIR에 그 폴더를 주십시오."
    )


CDN_MATHJAX = "cdn.jsdelivr.net/npm/mathjax@3"


def book_uses_cdn_mathjax(html_root: Path) -> bool:
    """빌드된 책이 MathJax를 CDN에서 불러오는가 (책이 MathJax를 함께 배포하면 로컬 사본이 필요 없다)."""
    for page in html_root.rglob("*.html"):
        if CDN_MATHJAX in page.read_text(encoding="utf-8", errors="ignore"):
            return True
    return False


def default_html_dir() -> Path:
    return Path(os.environ.get("BOOK_HTML_DIR", Path(__file__).resolve().parents[1] / "_build" / "html"))


def main() -> int:
    try:
        browser = ensure_browser()
        ensure_korean_font()
    except BrowserSetupError as exc:
        print(f"브라우저 테스트 준비 실패: {exc}", file=sys.stderr)
        return 1
    print(f"브라우저: {browser}")
    print("한글 글꼴: 있음")
    html_root = default_html_dir()
    if html_root.is_dir() and not book_uses_cdn_mathjax(html_root):
        print("MathJax: 책에 들어 있음 (로컬 사본 불필요)")
        return 0
    try:
        print(f"MathJax: {ensure_mathjax()}")
    except BrowserSetupError as exc:
        if html_root.is_dir():  # 책이 CDN MathJax를 쓰는데 로컬 사본이 없으면 수식 검사를 할 수 없다
            print(f"브라우저 테스트 준비 실패: {exc}", file=sys.stderr)
            return 1
        print(f"MathJax: 준비하지 못했습니다 (책을 아직 빌드하지 않아 넘어갑니다): {exc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

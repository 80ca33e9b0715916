"""MathJax를 CDN이 아니라 책과 함께 배포한다 (인터넷 없이도 수식이 보이도록).

MathJax 3 파일은 PyPI 패키지 ``django-static-mathjax``에 들어 있다(장고는 쓰지 않는다: 패키지를
import하지 않고 파일만 찾는다). 책에 필요한 부분만 ``_build/.mathjax``에 모아 ``html_static_path``에
더하고 ``mathjax_path``를 그 사본으로 바꾼다.

- ``es5/tex-chtml.js``: TeX 입력과 CHTML 출력이 한 파일에 묶인 것 (AMS 포함)
- ``es5/input/tex/extensions/``: ``\\boldsymbol`` 같은 명령이 처음 쓰일 때 자동으로 불러오는 확장
- ``es5/output/chtml/fonts/woff-v2/``: 수식 글꼴
- ``es5/a11y/``, ``es5/ui/``: 메뉴의 접근성 기능(보조 MathML)이 불러오는 파일
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "a11y", "ui")
MATHJAX_PATH = "mathjax/es5/tex-chtml.js"


def find_es5() -> Path:
    """설치된 django-static-mathjax 안의 es5 폴더를 찾는다."""
    spec = importlib.util.find_spec("mathjax")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        es5 = Path(loc) / "static" / "mathjax" / "es5"
        if (es5 / "tex-chtml.js").is_file():
            return es5
    raise ConfigError(
        "MathJax 파일을 찾지 못했습니다: `pip install django-static-mathjax`로 설치하세요 "
        "(requirements.txt에 있습니다)."
    )


def stage(es5: Path, dest_root: Path) -> Path:
    """필요한 파일만 dest_root/mathjax/es5 아래로 복사하고 dest_root를 돌려준다."""
    dest = dest_root / "mathjax" / "es5"
    for part in PARTS:
        src = es5 / part
        if not src.exists():
            continue
        target = dest / part
        if src.is_dir():
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest_root


def on_config_inited(app: Sphinx, config: Config) -> None:
    staged = stage(find_es5(), Path(app.outdir).parent / ".mathjax")
    config.html_static_path = [*config.html_static_path, str(staged)]
    config.mathjax_path = MATHJAX_PATH


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", on_config_inited, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

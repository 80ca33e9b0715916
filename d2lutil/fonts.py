"""한글 글꼴: NanumGothic에 수학 빼기 기호를 더해 matplotlib에 등록한다.

``import``만으로는 아무것도 바꾸지 않는다. 노트북이 :func:`use_korean_font`를 직접 불러야 글꼴이
바뀐다. matplotlib과 fontTools는 그 함수 안에서만 가져온다.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

__all__ = ["KOREAN_FAMILY", "use_korean_font"]

_FONT_PACKAGE = "koreanize_matplotlib"
_SOURCE_FAMILY = "NanumGothic"
#: use_korean_font가 등록하는 글꼴 가족 이름 (NanumGothic에 빼기 기호를 더한 사본).
#: 정의된 곳: 0.1 「준비: 텐서와 그래프」 (노트북 첫 셀의 ``use_korean_font()``가 등록한다)
KOREAN_FAMILY = "NanumGothic D2L"


def _korean_font_dir() -> Path:
    """koreanize-matplotlib 패키지 안의 fonts 폴더를 찾는다. 그 패키지를 import하지는 않는다.

    (그 패키지는 import할 때 전역 설정을 바꾸고, 파이썬 3.12 이상에서는 import 자체가 실패한다.)
    """
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for loc in locations:
        fonts = Path(loc) / "fonts"
        if (fonts / "NanumGothic.ttf").is_file():
            return fonts
    raise ModuleNotFoundError(
        "한글 글꼴(NanumGothic)을 찾지 못했습니다: koreanize-matplotlib 패키지가 설치되어 있지 않거나 "
        "글꼴 파일이 없습니다. `pip install koreanize-matplotlib`로 설치하세요 "
        "(글꼴 파일만 쓰고 패키지를 import하지는 않습니다)."
    )


def _font_cache_dir() -> Path:
    """고친 글꼴을 둘 캐시 폴더 (``D2LUTIL_CACHE`` 또는 ~/.cache/d2lutil 아래 fonts)."""
    base = os.environ.get("D2LUTIL_CACHE") or str(Path.home() / ".cache" / "d2lutil")
    return Path(base).expanduser() / "fonts"


def _with_minus_sign(src: Path) -> Path:
    """src 글꼴에 수학 빼기 기호(U+2212)를 더한 사본의 경로를 돌려준다 (한 번 만들고 다시 쓴다).

    NanumGothic에는 U+2212가 없다. matplotlib의 수식 텍스트(로그 눈금의 10^{−5}, ``$x_1$``이 섞인
    한글 이름표)는 글꼴 대체 없이 첫 글꼴만 쓰므로, 빼기 기호가 네모로 그려진다. 사본에서는 U+2212를
    같은 글꼴의 en dash(U+2013) 모양에 연결한다. 임시 파일에 쓴 뒤 이름을 바꾸므로 반쯤 쓴 파일이 남지 않는다.
    """
    from fontTools.ttLib import TTFont

    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    out_dir = _font_cache_dir()
    out = out_dir / f"{src.stem}-d2l-{digest}.ttf"
    if out.is_file():
        return out
    font = TTFont(str(src))
    best = font.getBestCmap()
    glyph = best.get(0x2013) or best.get(0x2D)
    for table in font["cmap"].tables:
        if table.isUnicode() and glyph is not None:
            table.cmap[0x2212] = glyph
    # 시스템에 설치된 원래 NanumGothic과 헷갈리지 않도록 글꼴 가족 이름을 바꾼다.
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            text = record.toUnicode()
            record.string = text.replace(_SOURCE_FAMILY, KOREAN_FAMILY, 1)
        elif record.nameID == 6:
            record.string = record.toUnicode().replace("NanumGothic", "NanumGothicD2L", 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".ttf.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            font.save(fh)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def use_korean_font() -> str:
    """NanumGothic을 matplotlib에 등록하고 기본 글꼴로 정한 뒤 글꼴 이름을 돌려준다.

    - 글꼴은 koreanize-matplotlib 패키지에 들어 있는 ttf 파일을 쓴다(내려받기 없음). 그 파일에 수학
      빼기 기호(U+2212)를 더한 사본을 캐시 폴더에 한 번 만들어 등록한다(:func:`_with_minus_sign`).
    - ``axes.unicode_minus``를 끈다: 눈금 숫자의 음수는 보통 붙임표(-)로 쓴다.
    - 한글 글꼴에 없는 글자(그리스 문자 등)는 DejaVu Sans로 대신 그린다(matplotlib ≥ 3.6의 글꼴 대체).
    - 여러 번 불러도 글꼴을 한 번만 등록한다.

    정의된 곳: 0.1 「준비: 텐서와 그래프」
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    fonts = _korean_font_dir()
    registered = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    family = ""
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        original = fonts / name
        if not original.is_file():  # pragma: no cover - 굵은 글꼴이 빠진 설치
            continue
        try:
            path = _with_minus_sign(original)
        except OSError:  # pragma: no cover - 캐시 폴더에 쓸 수 없으면 원본을 쓴다 (빼기 기호만 빠진다)
            path = original
        if path.resolve() not in registered:
            font_manager.fontManager.addfont(str(path))
        if name == "NanumGothic.ttf":
            family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return family

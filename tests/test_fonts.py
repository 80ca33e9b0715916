"""d2lutil.fonts: 한글 글꼴 등록과 빼기 기호를 더한 글꼴 사본."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

import d2lutil  # noqa: E402
from d2lutil import fonts, plotting  # noqa: E402
from d2lutil.fonts import use_korean_font  # noqa: E402

HANGUL = "은닉층 가중치 기울기"


@pytest.fixture(autouse=True)
def _isolated_rc() -> Iterator[None]:
    """테스트마다 rcParams를 되돌리고, 남은 그림을 닫는다."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def draw_strict(fig: Any) -> None:
    """경고를 오류로 바꿔 그린다: 'Glyph ... missing' 경고나, matplotlib이 로그로만 알리는
    "Font 'default' does not have a glyph"(수식 텍스트의 빠진 글자)가 나면 실패한다."""
    import logging

    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.canvas.draw()
    finally:
        logger.removeHandler(handler)
    missing = [m for m in messages if "glyph" in m.lower()]
    if missing:
        raise UserWarning(missing[0])


# --------------------------------------------------------------------------- 글꼴


def test_use_korean_font_sets_family_and_minus() -> None:
    name = use_korean_font()
    assert name == "NanumGothic D2L"
    assert matplotlib.rcParams["font.family"][0] == "NanumGothic D2L"
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    # 패키지 안의 ttf가 등록되어 있다 (시스템에 같은 글꼴이 따로 있어도 된다)
    registered = [f.fname for f in font_manager.fontManager.ttflist if f.name == "NanumGothic D2L"]
    # 패키지의 ttf에서 만든 사본(빼기 기호를 더한 것)이 등록되어 있다
    assert any("NanumGothic-d2l-" in fname for fname in registered)


def test_use_korean_font_does_not_import_the_package() -> None:
    sys.modules.pop("koreanize_matplotlib", None)
    use_korean_font()
    assert "koreanize_matplotlib" not in sys.modules


def test_use_korean_font_registers_once() -> None:
    use_korean_font()
    n = len(font_manager.fontManager.ttflist)
    use_korean_font()
    assert len(font_manager.fontManager.ttflist) == n


def test_hangul_renders_without_missing_glyphs() -> None:
    use_korean_font()
    fig, ax = plt.subplots()
    ax.set_title(HANGUL)
    ax.set_xlabel("에포크")
    ax.plot([-2.0, -1.0, 0.0, 1.0], [-1.0, 0.5, -0.5, 1.0], label="손실 −0.5")
    ax.legend()
    draw_strict(fig)


def test_log_axis_minus_renders_without_missing_glyphs() -> None:
    # 로그 눈금의 10^{-5}는 수식 텍스트라 첫 글꼴만 쓴다: 빼기 기호(U+2212)가 네모가 되면 안 된다.
    use_korean_font()
    fig, ax = plt.subplots()
    ax.semilogy([1, 2, 3], [1e-5, 1e-3, 1.0])
    ax.set_ylabel("기울기 크기 (로그 눈금)")
    draw_strict(fig)


def test_mixed_math_and_hangul_render_without_missing_glyphs() -> None:
    # 수식($...$)이 섞인 이름표는 통째로 수식 텍스트가 되어 첫 글꼴만 쓴다: 한글과 빼기 기호가 모두 있어야 한다.
    use_korean_font()
    fig, ax = plt.subplots()
    ax.set_xlabel("입력 $x_1$ (0 또는 1)")
    ax.set_title(r"$\sigma'(z)$의 최댓값은 $z = 0$에서, 음수 $-0.25$")
    draw_strict(fig)


def test_minus_font_copy_is_cached_and_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("D2LUTIL_CACHE", str(tmp_path))
    src = fonts._korean_font_dir() / "NanumGothic.ttf"
    out = fonts._with_minus_sign(src)
    assert out.parent == tmp_path / "fonts"
    assert 0x2212 in TTFont(str(out)).getBestCmap()
    assert 0x2212 not in TTFont(str(src)).getBestCmap()
    mtime = out.stat().st_mtime_ns
    assert fonts._with_minus_sign(src) == out and out.stat().st_mtime_ns == mtime  # 다시 만들지 않는다
    assert not list((tmp_path / "fonts").glob("*.tmp"))


def test_glyph_check_can_fail_without_korean_font() -> None:
    # 음성 대조: 한글 글꼴 없이 그리면 위의 검사가 실제로 실패한다.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    fig, ax = plt.subplots()
    ax.set_title(HANGUL)
    with pytest.raises(UserWarning, match="[Gg]lyph"):
        draw_strict(fig)


def test_use_korean_font_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="koreanize-matplotlib"):
        use_korean_font()


def test_old_import_paths_still_work() -> None:
    # 글꼴이 fonts.py로 옮겨 갔어도 d2lutil.use_korean_font와 d2lutil.plotting.use_korean_font는 같다
    assert d2lutil.use_korean_font is use_korean_font is plotting.use_korean_font
    assert d2lutil.set_figsize is plotting.set_figsize


@pytest.mark.parametrize(
    "statement",
    [
        "import d2lutil",
        "from d2lutil.autograd import Value",
        "from d2lutil import use_korean_font, seed_everything",
        "import d2lutil.fonts",
    ],
)
def test_import_does_not_load_matplotlib(statement: str) -> None:
    code = f"{statement}; import sys; assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if m.startswith('matplotlib'))[:3]"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_lazy_attributes_load_plotting_when_used() -> None:
    code = (
        "import sys, d2lutil; assert 'matplotlib' not in sys.modules; "
        "d2lutil.set_figsize(3, 2); assert 'matplotlib' in sys.modules; "
        "assert d2lutil.plotting.use_korean_font is d2lutil.use_korean_font"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    with pytest.raises(AttributeError, match="no_such_name"):
        d2lutil.no_such_name  # noqa: B018

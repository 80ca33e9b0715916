"""d2lutil.book: 본문에 붙이는 숫자를 반올림하는 glue와 반올림 오차 주장(below)."""

from __future__ import annotations

import math
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbdata import cell_outputs_text, glued

from d2lutil.book import below, glue, round_sig


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0793824318, 1.07938),
        (1.0793904318, 1.07939),  # 유효숫자 6자리: 1.07939|04318 → 1.07939
        (6.832672920418325e-09, 6.83267e-09),
        (0.016233045425323483, 0.016233),
        (-184.60812345, -184.608),
        (9.999999999999991, 10.0),
        (4.2156201394357655, 4.21562),
        (250.0, 250.0),
    ],
)
def test_round_sig_examples(value: float, expected: float) -> None:
    assert round_sig(value) == expected


def test_round_sig_keeps_non_floats_and_walks_containers() -> None:
    assert round_sig(7) == 7 and isinstance(round_sig(np.int64(7)), int)
    assert round_sig(True) is True and round_sig(np.bool_(False)) is False
    assert round_sig("4이") == "4이"
    assert round_sig([1 / 3, (2 / 3, 5)]) == [0.333333, (0.666667, 5)]
    assert round_sig(np.array([[1 / 7, 2.0]])) == [[0.142857, 2.0]]
    assert round_sig({"a": np.float32(0.1)}) == {"a": 0.1}
    assert round_sig(float("nan")) != round_sig(float("nan"))  # nan은 nan 그대로
    assert round_sig(float("-inf")) == float("-inf")
    # 부호 있는 0은 기계마다 다를 수 있으므로 0.0 하나로
    assert math.copysign(1.0, round_sig(-0.0)) == 1.0


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(1, 15))
def test_round_sig_is_within_half_unit(x: float, digits: int) -> None:
    r = round_sig(x, digits)
    if x == 0:
        assert r == 0
    else:
        half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(x))) - digits + 1)
        # 10진 값이 2진수로 정확히 표현되지 않는 만큼(몇 ulp)의 여유
        assert abs(r - x) <= half_unit * (1 + 1e-6) + 2 * math.ulp(x)


@given(st.floats(1e-300, 1e300), st.floats(-1e-13, 1e-13))
def test_round_sig_absorbs_last_bit_noise(x: float, rel: float) -> None:
    """마지막 자리의 반올림 차이(상대 1e-13)는 유효숫자 6자리 반올림이 거의 언제나 지운다."""
    a, b = round_sig(x), round_sig(x * (1 + rel))
    # 반올림 경계 바로 옆에 있는 드문 경우에만 달라지고, 그때도 한 단위 차이다
    assert a == b or abs(a - b) <= 10 ** (math.floor(math.log10(x)) - 5) * 1.0000001


@pytest.mark.parametrize("bad", [0, -1, 18, 2.5, "6"])
def test_round_sig_rejects_bad_digits(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="digits"):
        round_sig(1.0, bad)  # type: ignore[arg-type]


def test_round_sig_rejects_unknown_types() -> None:
    with pytest.raises(TypeError, match="value의 형식"):
        round_sig(object())


def test_below_states_a_machine_independent_claim() -> None:
    assert below(2.220446049250313e-16) == "< 1e-12"
    assert below(1.6653345369377348e-16) == "< 1e-12"  # 다른 CPU의 값도 같은 글
    assert below(-3e-8, 1e-7) == "< 1e-7"
    assert below(0.0) == "< 1e-12"
    assert below(3.0, 1e3) == "< 1e3"
    # 주장이 틀리면 실제 값과 경고가 보인다 (nbval 비교에서 바로 드러나도록)
    assert below(2e-5, 1e-7) == "2.0e-05 (기준 1e-7 초과!)"
    assert "초과" in below(float("nan"))


@pytest.mark.parametrize("bad", [0.0, -1e-3, float("inf"), float("nan")])
def test_below_rejects_bad_bound(bad: float) -> None:
    with pytest.raises(ValueError, match="bound"):
        below(1e-16, bad)


def test_glue_rounds_before_passing_to_myst_nb(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, object, bool]] = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: seen.append((name, value, display))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    glue("cost", 1.0793824318)
    glue("ratio", np.float64(6.832674132234801e-09), digits=3)
    glue("shown", [0.1 + 0.2], display=True)
    assert seen == [("cost", 1.07938, False), ("ratio", 6.83e-09, False), ("shown", [0.3], True)]


@pytest.mark.parametrize("bad", ["", 3, None])
def test_glue_rejects_bad_name(bad: object) -> None:
    with pytest.raises(TypeError, match="name"):
        glue(bad, 1.0)  # type: ignore[arg-type]


# 책 전체에 대한 규칙 (CONTRIBUTING.md "재현성")
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "book").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def _floats(value: object) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, (list, tuple)):
        return [f for v in value for f in _floats(v)]
    return []


@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_glued_floats_carry_at_most_six_digits(nb: str) -> None:
    """붙인 실수가 반올림되지 않았다면(myst_nb.glue를 직접 썼다면) 마지막 자리가 CPU마다 다를 수 있다."""
    too_long = {
        name: value
        for name, value in glued(nb).items()
        if any(math.isfinite(f) and round_sig(f) != f for f in _floats(value))
    }
    assert not too_long, f"{nb}: d2lutil.book.glue로 붙이세요 (유효숫자 6자리): {too_long}"
    assert "from myst_nb import glue" not in (ROOT / nb).read_text(encoding="utf-8")


@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_no_failed_roundoff_claim_in_outputs(nb: str) -> None:
    """below()의 주장이 틀리면 '(기준 … 초과!)'가 찍힌다. 저장된 출력에 그런 줄이 없어야 한다."""
    assert "초과!)" not in cell_outputs_text(nb)


def test_below_handles_huge_and_wrong_types() -> None:
    assert "초과" in below(10**400)
    assert "초과" in below(-(10**400))
    with pytest.raises(TypeError, match="error"):
        below("1e-16")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bound"):
        below(1e-16, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bound"):
        below(1e-16, 10**400)


def test_glue_without_myst_nb_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colab에는 myst_nb가 없다: 노트북이 멈추지 않고 그냥 지나가야 한다."""
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import가 ImportError를 내게 한다
    assert glue("cost", 1.0) is None

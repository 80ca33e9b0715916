"""d2lutil/korean.py 테스트: 숫자의 한국어 읽기와 조사 고르기.

기대값은 숫자를 소리 내어 읽어 손으로 정한 것입니다(함수의 출력을 옮겨 적지 않았습니다).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from d2lutil.korean import final_syllable, has_final, particle_for, read_number, with_particle

# (값의 글, 조사 쌍, 기대하는 결과) — 손으로 읽어 본 것. 괄호 안은 마지막 음절.
HAND_CHECKED = [
    ("0", "은/는", "0은"),  # 영
    ("1", "으로/로", "1로"),  # 일: ㄹ 받침 뒤는 '로'
    ("2", "이/가", "2가"),  # 이
    ("3", "을/를", "3을"),  # 삼
    ("4", "이/가", "4가"),  # 사
    ("5", "과/와", "5와"),  # 오
    ("6", "으로/로", "6으로"),  # 육
    ("7", "으로/로", "7로"),  # 칠
    ("8", "을/를", "8을"),  # 팔
    ("9", "은/는", "9는"),  # 구
    ("10", "이/가", "10이"),  # 십
    ("16", "으로/로", "16으로"),  # 십육
    ("20", "으로/로", "20으로"),  # 이십
    ("32", "는/은", "32는"),  # 삼십이 (쌍의 순서는 상관없다)
    ("64", "가/이", "64가"),  # 육십사
    ("99", "와/과", "99와"),  # 구십구
    ("100", "으로/로", "100으로"),  # 백
    ("128", "을/를", "128을"),  # 백이십팔
    ("185", "이/가", "185가"),  # 백팔십오
    ("-185", "이/가", "-185가"),  # 마이너스 백팔십오
    ("−18", "을/를", "−18을"),  # 마이너스 십팔
    ("1000", "이/가", "1000이"),  # 천
    ("1,000", "으로/로", "1,000으로"),  # 천
    ("2,000", "은/는", "2,000은"),  # 이천
    ("1,024", "가/이", "1,024가"),  # 천이십사
    ("10000", "으로/로", "10000으로"),  # 만
    ("60,000", "이/가", "60,000이"),  # 육만
    ("1,048,576", "이/가", "1,048,576이"),  # 백사만 팔천오백칠십육
    ("100000000", "을/를", "100000000을"),  # 일억
    ("44.5", "은/는", "44.5는"),  # 사십사 점 오
    ("9.5", "을/를", "9.5를"),  # 구 점 오
    ("1.997", "이/가", "1.997이"),  # 일 점 구구칠
    ("0.9750", "이/가", "0.9750이"),  # 영 점 구칠오영
    ("0.1043", "으로/로", "0.1043으로"),  # 영 점 일영사삼
    ("0.006", "으로/로", "0.006으로"),  # 영 점 영영육
    ("0.25", "을/를", "0.25를"),  # 영 점 이오
    ("0.07", "과/와", "0.07과"),  # 영 점 영칠
    ("0.01", "으로/로", "0.01로"),  # 영 점 영일
    ("7.0", "으로/로", "7.0으로"),  # 칠 점 영
    ("-56.0000", "이/가", "-56.0000이"),  # 마이너스 오십육 점 영영영영
    ("-18.6667", "이/가", "-18.6667이"),  # 마이너스 십팔 점 육육육칠
    ("0.0030", "으로/로", "0.0030으로"),  # 영 점 영영삼영
    ("1e-07", "이/가", "1e-07이"),  # 일 이 마이너스 칠
    ("1e-7", "으로/로", "1e-7로"),  # 일 이 마이너스 칠
    ("4.4e-16", "은/는", "4.4e-16은"),  # 사 점 사 이 마이너스 십육
    ("6.86e+06", "이나/나", "6.86e+06이나"),  # 육 점 팔육 이 육
    ("2.5E+03", "을/를", "2.5E+03을"),  # 이 점 오 이 삼
    ("1.2×10⁻⁵", "으로/로", "1.2×10⁻⁵으로"),  # … 십의 마이너스 오승
    ("25%", "은/는", "25%는"),  # 이십오 퍼센트
    ("12.5 %", "이/가", "12.5 %가"),  # 십이 점 오 퍼센트
    ("3/4", "을/를", "3/4을"),  # 사분의 삼
    ("1/6", "으로/로", "1/6로"),  # 육분의 일
    ("XOR", "을/를", "XOR을"),  # 엑스오알
    ("ReLU", "이/가", "ReLU가"),  # 렐루(글자 이름으로는 …유)
    ("은닉층", "은/는", "은닉층은"),
    ("시그모이드", "으로/로", "시그모이드로"),
    ("학습률", "으로/로", "학습률로"),
    ("(2, 3)", "이/가", "(2, 3)이"),  # 괄호는 읽지 않는다: 삼
    ("4", "(으)로", "4로"),
    ("10", "이라/라", "10이라"),
    ("5", "이다/다", "5다"),
    ("8", "이에요/예요", "8이에요"),
]


@pytest.mark.parametrize(("text", "pair", "expected"), HAND_CHECKED)
def test_hand_checked_particles(text: str, pair: str, expected: str) -> None:
    assert with_particle(text, pair) == expected


def test_at_least_forty_numbers() -> None:
    numbers = [t for t, _, _ in HAND_CHECKED if any(ch.isdigit() for ch in t)]
    assert len(numbers) >= 40


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("0", "영"),
        ("11", "십일"),
        ("1111", "천백십일"),
        ("2,024", "이천이십사"),
        ("10000", "만"),
        ("12,000", "만이천"),
        ("300000", "삼십만"),
        ("1,048,576", "백사만팔천오백칠십육"),
        ("100000000", "일억"),
        ("44.5", "사십사 점 오"),
        ("0.9750", "영 점 구칠오영"),
        ("-185", "마이너스 백팔십오"),
        ("1e-07", "일 이 마이너스 칠"),
        ("25%", "이십오 퍼센트"),
        ("3/4", "사분의 삼"),
        ("-1/2", "마이너스 이분의 일"),
        ("1.2×10⁻⁵", "일 점 이 곱하기 십의 마이너스 오승"),
    ],
)
def test_read_number(text: str, reading: str) -> None:
    assert read_number(text) == reading


def test_with_particle_formats_numbers() -> None:
    assert with_particle(44.5, "은/는") == "44.5는"
    assert with_particle(16, "으로/로") == "16으로"
    assert with_particle(np.float64(0.975), "이/가", fmt=".4f") == "0.9750이"
    assert with_particle("0.97501", "을/를", fmt=".3f") == "0.975를"
    assert with_particle(-1e-7, "이/가", fmt=".0e") == "-1e-07이"


def test_has_final() -> None:
    assert has_final("일") and has_final("삼") and not has_final("사") and not has_final("구")
    assert final_syllable("1,000") == "천"


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: with_particle("44.5", "은/가"), ValueError, "particle"),
        (lambda: with_particle("44.5", 3), TypeError, "particle"),  # type: ignore[arg-type]
        (lambda: with_particle(None, "은/는"), TypeError, "value_text"),
        (lambda: with_particle(True, "은/는"), TypeError, "value_text"),
        (lambda: particle_for("", "은/는"), ValueError, "value_text"),
        (lambda: particle_for("?!", "은/는"), ValueError, "value_text"),
        (lambda: final_syllable(4), TypeError, "value_text"),  # type: ignore[arg-type]
        (lambda: read_number(4.5), TypeError, "value_text"),  # type: ignore[arg-type]
        (lambda: read_number("1" * 30), ValueError, "value_text"),
        (lambda: has_final("ab"), ValueError, "syllable"),
    ],
)
def test_bad_input_messages(call, exc, word) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc, match=word):
        call()


@given(st.integers(min_value=0, max_value=10**12))
def test_integer_reading_ends_like_last_nonzero_place(n: int) -> None:
    """정수를 읽은 마지막 음절은 끝자리 숫자이거나, 끝에 붙은 0의 개수로 정해지는 자리 이름이다.

    read_number와 다른 방법(자리의 이름표)으로 기대값을 만든다.
    """
    s = str(n)
    if n == 0:
        expected = "영"
    elif s[-1] != "0":
        expected = "영일이삼사오육칠팔구"[int(s[-1])]
    else:
        zeros = len(s) - len(s.rstrip("0"))
        # 네 자리 묶음의 단위(만, 억, 조)가 있으면 그것이 마지막에 읽힌다: 250억, 3천만
        expected = (
            {1: "십", 2: "백", 3: "천"}[zeros] if zeros < 4 else {1: "만", 2: "억", 3: "조"}[zeros // 4]
        )
    assert final_syllable(s) == expected
    assert final_syllable(f"{n:,}") == expected


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=1, max_value=6))
def test_decimal_reading_ends_with_last_digit(x: float, digits: int) -> None:
    text = f"{x:.{digits}f}"
    assert final_syllable(text) == "영일이삼사오육칠팔구"[int(text[-1])]

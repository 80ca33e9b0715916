"""숫자 뒤에 붙는 조사를 숫자의 한국어 읽기에 맞춰 고른다.

"44.5는", "16으로", "1.997이", "1로", "−185가"처럼 조사는 독자가 숫자를 **소리 내어 읽은** 마지막 음절의
받침에 따라 정해진다. 이 모듈은 숫자를 한자어 수사로 읽고(일 이 삼 사 오 육 칠 팔 구, 십 백 천 만 억 조 경),
소수점 아래는 한 자리씩(점, 영) 읽으며, 그 마지막 음절로 조사를 고른다. 책의 본문에서는
``{glue:josa}`이름:.4f|은/는` `` 역할(book/_ext/korean_josa.py)이 이 함수를 써서 glue 값과 조사를 함께 낸다.

읽는 방법 (정해 둔 관례)
- 정수: 한자어 수사. ``1,000``처럼 쉼표가 있어도 된다. 0은 "영".
- 소수: 정수 부분 + "점" + 소수 자리를 한 자리씩. 마지막 0도 읽는다(``0.9750`` → "영 점 구칠오영").
- 음수: 앞에 "마이너스"를 붙인다(조사에는 영향이 없다). ``-``와 수학 빼기 기호 ``−`` 모두 받는다.
- ``1e-7``, ``2.5E+03``: "일 이 마이너스 칠"처럼 지수를 정수로 읽는다(마지막 음절은 지수의 끝).
- ``1.2×10⁻⁵``처럼 위첨자 지수를 쓰면 "10의 마이너스 5승"으로 읽어 마지막 음절은 "승"이다.
- ``25%``: "이십오 퍼센트"(받침 없음).
- ``3/4``: "사분의 삼"(분자가 마지막에 읽힌다).
- 라틴 글자로 끝나면 글자 이름으로 읽는다(``XOR`` → "…알", ``ReLU`` → "…유").
- 한글 음절로 끝나면 그 음절을 그대로 쓴다.
"""

from __future__ import annotations

import re

__all__ = ["PARTICLE_PAIRS", "final_syllable", "has_final", "particle_for", "read_number", "with_particle"]

_DIGITS = "영일이삼사오육칠팔구"
_SMALL_UNITS = ("", "십", "백", "천")
_BIG_UNITS = ("", "만", "억", "조", "경")
_LETTERS = {
    "a": "에이", "b": "비", "c": "씨", "d": "디", "e": "이", "f": "에프", "g": "지", "h": "에이치",
    "i": "아이", "j": "제이", "k": "케이", "l": "엘", "m": "엠", "n": "엔", "o": "오", "p": "피",
    "q": "큐", "r": "알", "s": "에스", "t": "티", "u": "유", "v": "브이", "w": "더블유", "x": "엑스",
    "y": "와이", "z": "지",
}  # fmt: skip
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MINUS = "-−–"

# 받침이 있는 말 뒤 / 없는 말 뒤. "으로/로"는 ㄹ 받침 뒤에서도 "로"다.
PARTICLE_PAIRS: dict[str, tuple[str, str]] = {
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이나/나": ("이나", "나"),
    "이라/라": ("이라", "라"),
    "이다/다": ("이다", "다"),
    "이에요/예요": ("이에요", "예요"),
}
_ALIASES = {f"{b}/{a}": f"{a}/{b}" for a, b in PARTICLE_PAIRS.values()}
_ALIASES |= {"(으)로": "으로/로", "(이)나": "이나/나", "(이)라": "이라/라", "(이)다": "이다/다"}

_NUMBER_RE = re.compile(
    r"(?P<sign>[-−–])?(?P<int>\d[\d,]*)(?:\.(?P<frac>\d+))?"
    r"(?:[eE](?P<esign>[-+−]?)(?P<exp>\d+))?(?P<sup>×10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?(?P<pct>\s?%)?$"
)
_TAIL_RE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[eE][-+−]?\d+)?(?:\s?%)?$")
_FRACTION_RE = re.compile(r"(?P<num>[-−]?\d+)\s?/\s?(?P<den>\d+)$")


def _read_group(digits: str) -> str:
    """네 자리 이하 정수를 읽는다 (0이면 빈 문자열). 천·백·십 앞의 1은 읽지 않는다: 1111 → 천백십일."""
    out = []
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if d == 0:
            continue
        unit = _SMALL_UNITS[i]
        out.append(("" if d == 1 and unit else _DIGITS[d]) + unit)
    return "".join(reversed(out))


def _read_integer(digits: str) -> str:
    digits = digits.replace(",", "").lstrip("0")
    if not digits:
        return "영"
    if len(digits) > 4 * len(_BIG_UNITS):
        raise ValueError(
            f"value_text의 정수 부분이 너무 깁니다: {len(digits)}자리 (최대 {4 * len(_BIG_UNITS)}자리)"
        )
    groups = []
    while digits:
        groups.append(digits[-4:])
        digits = digits[:-4]
    out = []
    for i in reversed(range(len(groups))):
        g = _read_group(groups[i])
        if not g:
            continue
        if g == "일" and i == 1:
            g = ""  # 10000 → 만 (일만이 아니다). 억, 조는 일억, 일조로 읽는다
        out.append(g + _BIG_UNITS[i])
    return "".join(out)


def read_number(value_text: str) -> str:
    """숫자 문자열을 한국어로 읽은 글 (예: '44.5' → '사십사 점 오', '-1e-07' → '마이너스 일 이 마이너스 칠')."""
    if not isinstance(value_text, str):
        raise TypeError(f"value_text는 문자열이어야 합니다: 받은 형식: {type(value_text).__name__}")
    text = value_text.strip()
    frac_m = _FRACTION_RE.match(text)
    if frac_m:
        num = frac_m.group("num")
        sign = "마이너스 " if num[0] in _MINUS else ""
        return f"{sign}{_read_integer(frac_m.group('den'))}분의 {_read_integer(num.lstrip(_MINUS))}"
    m = _NUMBER_RE.match(text)
    if not m:
        raise ValueError(f"value_text를 숫자로 읽을 수 없습니다: {value_text!r}")
    words = []
    if m.group("sign"):
        words.append("마이너스")
    number = _read_integer(m.group("int"))
    if m.group("frac"):
        number += " 점 " + "".join(_DIGITS[int(c)] for c in m.group("frac"))
    words.append(number)
    if m.group("exp") is not None:
        words.append("이")  # 1e-7 → "일 이 마이너스 칠"
        if m.group("esign") in ("-", "−"):
            words.append("마이너스")
        words.append(_read_integer(m.group("exp")))
    if m.group("sup"):
        sup = m.group("sup")[3:]
        exp = "".join(str(_SUPERSCRIPT_DIGITS.index(c)) for c in sup if c in _SUPERSCRIPT_DIGITS)
        words.append("곱하기 십의")
        if sup.startswith("⁻"):
            words.append("마이너스")
        words.append(_read_integer(exp) + "승")
    if m.group("pct"):
        words.append("퍼센트")
    return " ".join(words)


def final_syllable(value_text: str) -> str:
    """value_text를 읽었을 때의 마지막 음절 (한글 한 글자)."""
    if not isinstance(value_text, str):
        raise TypeError(f"value_text는 문자열이어야 합니다: 받은 형식: {type(value_text).__name__}")
    text = value_text.strip().rstrip(")]}'\"’”")
    if not text:
        raise ValueError("value_text가 비어 있습니다.")
    last = text[-1]
    if "가" <= last <= "힣":
        return last
    if last.isascii() and last.isalpha():
        return _LETTERS[last.lower()][-1]
    try:
        return read_number(text)[-1]
    except ValueError:
        tail = _TAIL_RE.search(text)  # "(2, 3)", "x = 4"처럼 숫자로 끝나는 글: 마지막 숫자만 읽는다
        if tail is None:
            raise
        return read_number(tail.group(0))[-1]


def has_final(syllable: str) -> bool:
    """한글 음절에 받침이 있으면 참."""
    if len(syllable) != 1 or not "가" <= syllable <= "힣":
        raise ValueError(f"syllable은 한글 음절 한 글자여야 합니다: {syllable!r}")
    return (ord(syllable) - 0xAC00) % 28 != 0


def _has_rieul(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 == 8


def _pair(particle: str) -> tuple[str, str]:
    if not isinstance(particle, str):
        raise TypeError(f"particle은 문자열이어야 합니다: 받은 형식: {type(particle).__name__}")
    key = _ALIASES.get(particle, particle)
    if key not in PARTICLE_PAIRS:
        raise ValueError(
            f"particle은 {', '.join(PARTICLE_PAIRS)} 가운데 하나여야 합니다. 받은 값: {particle!r}"
        )
    return PARTICLE_PAIRS[key]


def particle_for(value_text: str, particle: str) -> str:
    """value_text 뒤에 올 조사 하나를 고른다. particle은 '은/는'처럼 두 형태를 적는다 (순서는 상관없다)."""
    with_final, without_final = _pair(particle)
    last = final_syllable(value_text)
    if not has_final(last):
        return without_final
    if with_final == "으로" and _has_rieul(last):
        return without_final  # ㄹ 받침 뒤: 1로, 7로, 8로
    return with_final


def with_particle(value_text: object, particle: str, fmt: str | None = None) -> str:
    """값 뒤에 알맞은 조사를 붙인 글: with_particle('44.5', '은/는') → '44.5는'.

    value_text가 문자열이 아니면 ``format(value_text, fmt)``(fmt가 없으면 ``str``)로 글을 만든다.
    """
    if isinstance(value_text, str):
        text = value_text if fmt is None else format(float(value_text), fmt)
    elif isinstance(value_text, bool) or not hasattr(value_text, "__float__"):
        raise TypeError(f"value_text는 문자열이나 숫자여야 합니다: 받은 형식: {type(value_text).__name__}")
    else:
        text = str(value_text) if fmt is None else format(value_text, fmt)
    return text + particle_for(text, particle)

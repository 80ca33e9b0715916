"""놀이터(3.4장)의 데이터: 두 언어에서 똑같은 난수, 2차원 데이터 다섯 가지, 입력 특성.

학습 엔진은 :mod:`d2lutil.playground`에 있다. 온라인 책의 자바스크립트 엔진(``book/_static/playground/engine.js``)이
같은 씨앗에서 같은 점을 만들 수 있도록, 난수는 numpy가 아니라 32비트 정수 연산만 쓰는 :class:`PortableRng`
(mulberry32)로 만든다.

* :func:`make_dataset` — XOR, 원(circles), 가우스(gaussian), 반달(moons), 나선(spirals).
* :func:`feature_matrix` — 입력 특성 x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂ 가운데 고른 것들.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from d2lutil._checks import as_float_array, check_choice, check_int, check_nonnegative, check_seed

__all__ = ["DATASETS", "DEFAULT_NOISE", "FEATURES", "PortableRng", "feature_matrix", "make_dataset"]

DATASETS: tuple[str, ...] = ("circles", "xor", "gaussian", "spirals", "moons")
FEATURES: tuple[str, ...] = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
DEFAULT_NOISE = {"xor": 0.05, "circles": 0.05, "gaussian": 0.1, "moons": 0.1, "spirals": 0.04}
_MASK = 0xFFFFFFFF


class PortableRng:
    """mulberry32: 자바스크립트에서 정수 연산만으로 똑같이 구현할 수 있는 32비트 난수 생성기.

    ``uniform()``은 [0, 1)의 배수 2⁻³², ``normal()``은 박스-뮬러 변환(균등 난수 두 개로 정규 난수 하나)이다.
    상태는 32비트 정수 하나(``state``)라서 자바스크립트 쪽에 그대로 넘길 수 있다.
    """

    def __init__(self, seed: int) -> None:
        self.state = check_seed(seed) & _MASK

    def next_u32(self) -> int:
        self.state = a = (self.state + 0x6D2B79F5) & _MASK
        t = ((a ^ (a >> 15)) * (1 | a)) & _MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & _MASK)) & _MASK) ^ t
        return (t ^ (t >> 14)) & _MASK

    def uniform(self) -> float:
        return self.next_u32() / 4294967296.0

    def normal(self) -> float:
        u1 = 1.0 - self.uniform()  # (0, 1]: 로그가 유한하다
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def shuffle_indices(self, n: int) -> list[int]:
        """0..n−1의 피셔-예이츠 섞기 (뒤에서부터, j = ⌊u·(i+1)⌋)."""
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            order[i], order[j] = order[j], order[i]
        return order


def make_dataset(
    name: str, n: int = 400, *, noise: float | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """놀이터 데이터 n개: ``(X (n, 2), y (n,) 0/1 정수)``. 좌표는 대략 [−1.2, 1.2] 안에 있다.

    점 i의 클래스는 i % 2이고(두 클래스가 반씩), 점은 만든 순서대로 놓인다(훈련·시험 나누기는
    :class:`PlaygroundRun`이 섞어서 한다). noise는 좌표에 더하는 가우스 잡음의 표준편차이고, None이면
    데이터마다 정한 기본값(:data:`DEFAULT_NOISE`)을 쓴다.

    * "circles": 클래스 1은 반지름 0–0.5의 원판, 클래스 0은 반지름 0.7–1.0의 고리.
    * "xor": [−1, 1]² 안의 균등한 점(축에서 0.1 떨어뜨림), x₁x₂ < 0이면 1.
    * "gaussian": 중심 (0.5, 0.5)(클래스 1)과 (−0.5, −0.5)(클래스 0), 표준편차 0.2 + noise.
    * "spirals": 반지름 0.05→1로 한 바퀴 반 감기는 나선 두 개.
    * "moons": 서로 맞물린 반달 두 개(scikit-learn의 make_moons 모양을 가운데로 옮기고 0.8배).
    """
    check_choice(name, DATASETS, name="name")
    n = check_int(n, name="n", minimum=4, maximum=100_000)
    noise = DEFAULT_NOISE[name] if noise is None else check_nonnegative(noise, name="noise")
    rng = PortableRng(check_seed(seed))
    X = np.empty((n, 2))
    y = np.empty(n, dtype=np.int64)
    per_class = (n + 1) // 2
    for i in range(n):
        label = i % 2
        k = i // 2
        if name == "circles":
            lo, hi = (0.0, 0.5) if label == 1 else (0.7, 1.0)
            r = lo + (hi - lo) * rng.uniform()
            t = 2.0 * math.pi * rng.uniform()
            x1, x2 = r * math.cos(t), r * math.sin(t)
        elif name == "xor":
            while True:  # 점의 사분면으로 클래스가 정해지므로 클래스에 맞는 점이 나올 때까지 뽑는다
                a = 2.0 * rng.uniform() - 1.0
                b = 2.0 * rng.uniform() - 1.0
                if (a * b < 0) == (label == 1):
                    break
            x1 = a + (0.1 if a >= 0 else -0.1)
            x2 = b + (0.1 if b >= 0 else -0.1)
        elif name == "gaussian":
            c = 0.5 if label == 1 else -0.5
            s = 0.2 + noise
            x1, x2 = c + s * rng.normal(), c + s * rng.normal()
        elif name == "spirals":
            r = 0.05 + 0.95 * k / max(per_class - 1, 1)
            t = 3.0 * math.pi * r + math.pi * label
            x1, x2 = r * math.cos(t), r * math.sin(t)
        else:  # moons
            t = math.pi * rng.uniform()
            if label == 0:
                a, b = math.cos(t), math.sin(t)
            else:
                a, b = 1.0 - math.cos(t), 0.5 - math.sin(t)
            x1, x2 = (a - 0.5) * 0.8, (b - 0.25) * 0.8
        if name != "gaussian" and noise > 0:
            x1 += noise * rng.normal()
            x2 += noise * rng.normal()
        X[i, 0], X[i, 1] = x1, x2
        y[i] = label
    return X, y


def feature_matrix(X: Any, features: tuple[str, ...]) -> np.ndarray:
    """원래 좌표 X (n, 2)에서 고른 입력 특성들의 행렬 (n, len(features))을 만든다."""
    X = as_float_array(X, name="X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X는 (n, 2) 모양이어야 합니다: {X.shape}를 받았습니다.")
    x1, x2 = X[:, 0], X[:, 1]
    table = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1sq": lambda: x1 * x1,
        "x2sq": lambda: x2 * x2,
        "x1x2": lambda: x1 * x2,
        "sinx1": lambda: np.sin(x1),
        "sinx2": lambda: np.sin(x2),
    }
    for f in features:
        check_choice(f, FEATURES, name="features")
    return np.column_stack([table[f]() for f in features])

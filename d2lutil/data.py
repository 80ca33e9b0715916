"""책에 나오는 작은 데이터: 손으로 적은 표, 논리 게이트, 2차원 합성 데이터, 손글씨 숫자.

모든 함수는 부를 때마다 새 배열을 만들어 돌려준다. 그러니 받은 배열을 고쳐 써도 다음 호출에는
영향이 없다. 합성 데이터는 ``np.random.default_rng(seed)``만 쓰므로 전역 난수 상태를 바꾸지 않는다.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from d2lutil._checks import (
    as_float_array,
    as_int_array,
    check_in_range,
    check_int,
    check_nonnegative,
    check_seed,
)

__all__ = [
    "study_hours",
    "doubling",
    "quiz_scores",
    "logic_gate",
    "GATE_NAMES",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_blobs",
    "load_digits_split",
    "minibatches",
]

GATE_NAMES: tuple[str, ...] = ("AND", "OR", "NAND", "XOR")

_MAX_N = 1_000_000


# --------------------------------------------------------------------------- 책의 작은 표


def study_hours() -> tuple[np.ndarray, np.ndarray]:
    """공부한 시간 x(시간)와 시험 점수 y(점): x = [2, 3, 4, 5], y = [25, 50, 42, 61]."""
    return np.array([2.0, 3.0, 4.0, 5.0]), np.array([25.0, 50.0, 42.0, 61.0])


def doubling() -> tuple[np.ndarray, np.ndarray]:
    """y = 2x인 세 점. 파이토치 선형 회귀의 첫 예제용으로 (3, 1) 모양의 열벡터로 돌려준다."""
    return np.array([[1.0], [2.0], [3.0]]), np.array([[2.0], [4.0], [6.0]])


def quiz_scores() -> tuple[np.ndarray, np.ndarray]:
    """학생 다섯 명의 퀴즈 점수 세 개 X (5, 3)와 기말 점수 y (5, 1)."""
    X = np.array(
        [[73.0, 80.0, 75.0], [93.0, 88.0, 93.0], [89.0, 91.0, 90.0], [96.0, 98.0, 100.0], [73.0, 66.0, 70.0]]
    )
    y = np.array([[152.0], [185.0], [180.0], [196.0], [142.0]])
    return X, y


def _gate_name(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name은(는) 문자열이어야 합니다: {type(name).__name__}를 받았습니다.")
    upper = name.upper()
    if upper not in GATE_NAMES:
        allowed = ", ".join(repr(g) for g in GATE_NAMES)
        raise ValueError(f"name은(는) {allowed} 가운데 하나여야 합니다: {name!r}를 받았습니다.")
    return upper


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """논리 게이트의 진리표: X (4, 2)는 입력 (0,0), (0,1), (1,0), (1,1), y (4,)는 0/1 정수 출력.

    name은 "AND", "OR", "NAND", "XOR" 가운데 하나(대소문자 무시).
    """
    name = _gate_name(name)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    out = {"AND": a & b, "OR": a | b, "NAND": ~(a & b), "XOR": a ^ b}[name]
    return X, out.astype(np.int64)


# --------------------------------------------------------------------------- 2차원 합성 데이터


def _check_synthetic(n: Any, noise: Any, seed: Any, n_classes: Any) -> tuple[int, float, int, int]:
    n_classes = check_int(n_classes, name="n_classes", minimum=2, maximum=10)
    n = check_int(n, name="n", minimum=n_classes, maximum=_MAX_N)
    noise = check_nonnegative(noise, name="noise")
    seed = check_seed(seed)
    return n, noise, seed, n_classes


def _class_sizes(n: int, k: int) -> list[int]:
    """n개를 k개 클래스에 최대한 고르게 나눈다 (앞 클래스가 하나씩 더 받는다)."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _shuffled(
    rng: np.random.Generator, parts: list[np.ndarray], sizes: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    X = np.concatenate(parts, axis=0)
    y = np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_circles(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """동심원 두 개: 클래스 0은 반지름 1, 클래스 1은 반지름 0.5. noise는 좌표에 더하는 가우스 잡음의 표준편차."""
    n, noise, seed, _ = _check_synthetic(n, noise, seed, 2)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, 2)
    parts = []
    for radius, m in zip((1.0, 0.5), sizes):
        t = rng.uniform(0.0, 2.0 * np.pi, m)
        parts.append(radius * np.column_stack([np.cos(t), np.sin(t)]) + noise * rng.standard_normal((m, 2)))
    return _shuffled(rng, parts, sizes)


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """서로 맞물린 반달 두 개 (scikit-learn의 make_moons와 같은 모양)."""
    n, noise, seed, _ = _check_synthetic(n, noise, seed, 2)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, 2)
    t0 = rng.uniform(0.0, np.pi, sizes[0])
    t1 = rng.uniform(0.0, np.pi, sizes[1])
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    parts = [p + noise * rng.standard_normal(p.shape) for p in (upper, lower)]
    return _shuffled(rng, parts, sizes)


def make_spirals(
    n: int = 200, noise: float = 0.1, seed: int = 0, *, n_classes: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """원점에서 감겨 나가는 나선 n_classes개 (반지름 0→1, 한 바퀴 반)."""
    n, noise, seed, k = _check_synthetic(n, noise, seed, n_classes)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, k)
    parts = []
    for c, m in enumerate(sizes):
        r = np.linspace(0.05, 1.0, m)
        t = 3.0 * np.pi * r + 2.0 * np.pi * c / k
        parts.append(
            r[:, None] * np.column_stack([np.cos(t), np.sin(t)]) + noise * rng.standard_normal((m, 2))
        )
    return _shuffled(rng, parts, sizes)


def make_blobs(
    n: int = 200, noise: float = 0.5, seed: int = 0, *, n_classes: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """가우스 덩어리 n_classes개. 중심은 반지름 2인 원 위에 고르게 놓이고, noise는 표준편차다."""
    n, noise, seed, k = _check_synthetic(n, noise, seed, n_classes)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, k)
    angles = 2.0 * np.pi * np.arange(k) / k
    centers = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    parts = [centers[c] + noise * rng.standard_normal((m, 2)) for c, m in enumerate(sizes)]
    return _shuffled(rng, parts, sizes)


# --------------------------------------------------------------------------- 손글씨 숫자 (scikit-learn)


def load_digits_split(
    test_size: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn의 8×8 손글씨 숫자 1,797장을 층화(stratified) 분할해 돌려준다.

    돌려주는 값: ``(X_train, X_test, y_train, y_test)``. X는 (n, 64) float64로 [0, 1] 범위
    (원래 밝기 0–16을 16으로 나눔), y는 0–9 정수. 내려받기가 없다(scikit-learn에 들어 있다).
    """
    test_size = check_in_range(
        test_size, 0.0, 1.0, name="test_size", low_inclusive=False, high_inclusive=False
    )
    seed = check_seed(seed)
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    n, k = len(y), len(np.unique(y))
    n_test = math.ceil(test_size * n)
    if n_test < k or n - n_test < k:
        raise ValueError(
            f"test_size={test_size}이면 한쪽 세트가 클래스 수({k})보다 작아 층화 분할을 할 수 없습니다: "
            f"시험 세트 {n_test}장, 훈련 세트 {n - n_test}장."
        )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    return X_train, X_test, y_train, y_test


# --------------------------------------------------------------------------- 미니배치


def minibatches(
    X: Any, y: Any, batch_size: int, *, shuffle: bool = True, seed: int = 0
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(X, y)를 batch_size개씩 잘라 (X_batch, y_batch)를 차례로 내주는 반복자를 돌려준다.

    shuffle이면 seed로 정한 순서로 섞는다. 마지막 배치는 더 작을 수 있다. 입력은 바로 검사한다
    (반복을 시작하기 전에 오류가 난다). 내주는 배치는 복사본이다.
    """
    X = as_float_array(X, name="X")
    if X.ndim == 0:
        raise ValueError("X는 적어도 1차원 배열이어야 합니다: 스칼라를 받았습니다.")
    y_arr = _as_targets(y)
    if y_arr.ndim == 0 or len(y_arr) != len(X):
        raise ValueError(f"y의 길이가 X와 같아야 합니다: X는 {len(X)}개인데 y의 모양은 {y_arr.shape}입니다.")
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle은(는) True 또는 False여야 합니다: {shuffle!r}를 받았습니다.")
    seed = check_seed(seed)
    order = np.random.default_rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    return _batches(X, y_arr, order, batch_size)


def _as_targets(y: Any) -> np.ndarray:
    """정수 레이블은 정수 그대로, 그 밖의 목표값은 실수 배열로 바꾼다."""
    kind = ""
    if y is not None and not isinstance(y, (str, bytes)):
        try:
            kind = np.asarray(y).dtype.kind
        except (ValueError, TypeError):
            kind = ""
    if kind and kind in "iub":
        return as_int_array(y, name="y")
    return as_float_array(y, name="y")


def _batches(
    X: np.ndarray, y: np.ndarray, order: np.ndarray, batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]

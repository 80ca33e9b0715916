"""ReLU 대 tanh: "훈련 오차가 처음 25%에 닿기까지 몇 에포크?"를 작게 재는 실험. 정의된 곳: 2.2절.

AlexNet 논문(Krizhevsky 외 2012, 그림 1)은 CIFAR-10의 4층 합성곱 신경망에서 ReLU 신경망이 훈련 오차 25%에
tanh 신경망보다 약 6배 빨리 닿는다고 보고했습니다. 여기서는 같은 질문을 손글씨 숫자와 작은 다층 퍼셉트론으로
묻습니다. 결과가 CPU와 BLAS에 흔들리지 않도록

* float64 numpy로, 미니배치 없이 훈련 세트 전체로 한 걸음을 갑니다(한 에포크 = 한 걸음, 섞는 순서가 없음),
* 답은 정수(에포크 수)이고, 같은 씨앗이면 두 활성화 함수가 **똑같은 초기 가중치**에서 출발합니다.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil import activations as act
from d2lutil._checks import (
    as_float_array,
    as_int_array,
    check_choice,
    check_in_range,
    check_int,
    check_positive,
    check_seed,
)

__all__ = ["activation_race", "epochs_to_error", "init_weights", "training_error_curve"]

_ACTIVATIONS = ("relu", "tanh")


def init_weights(
    sizes: Sequence[int], *, seed: int, scheme: str = "xavier"
) -> list[tuple[np.ndarray, np.ndarray]]:
    """층마다 (W, b)를 만든다. W ~ N(0, σ²), b = 0. σ² = 2/(d_in + d_out) ("xavier") 또는 2/d_in ("he").

    활성화 함수와 상관없이 같은 규칙을 쓰므로, 같은 씨앗이면 ReLU 신경망과 tanh 신경망의 초기 가중치가 같다.
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes는 정수 두 개 이상의 목록이어야 합니다: {sizes!r}를 받았습니다.")
    dims = [check_int(s, name=f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    check_choice(scheme, ("xavier", "he"), name="scheme")
    rng = np.random.default_rng(check_seed(seed))
    out = []
    for a, b in zip(dims[:-1], dims[1:]):
        std = np.sqrt(2.0 / (a + b)) if scheme == "xavier" else np.sqrt(2.0 / a)
        out.append((rng.normal(0.0, std, size=(a, b)), np.zeros(b)))
    return out


def _check_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, name="X")
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X는 (n, d) 모양의 2차원 배열이어야 합니다: 모양 {X.shape}를 받았습니다.")
    y = as_int_array(y, name="y")
    if y.shape != (len(X),) or y.min() < 0:
        raise ValueError(f"y는 길이 {len(X)}의 0 이상 정수 레이블이어야 합니다: 모양 {y.shape}를 받았습니다.")
    return X, y


def training_error_curve(
    X: Any,
    y: Any,
    *,
    activation: str,
    lr: float,
    seed: int,
    hidden: Sequence[int] = (32, 32, 32),
    epochs: int = 60,
    momentum: float = 0.9,
    stop_at: float | None = None,
    scheme: str = "xavier",
) -> np.ndarray:
    """전체 배치 경사 하강법(모멘텀)으로 학습하며 에포크마다 훈련 오차(틀린 비율)를 돌려준다.

    돌려주는 배열의 k번째 값은 k 에포크(= k 걸음) 뒤의 훈련 오차입니다(0번째는 학습 전).
    손실이 유한하지 않거나 처음 손실의 10배를 넘으면 발산으로 보고 멈춥니다(배열이 짧아집니다).
    stop_at을 주면 훈련 오차가 그 값 이하가 되는 즉시 멈춥니다. 출력층은 소프트맥스 + 교차 엔트로피입니다.
    scheme: 초기화 규칙 ("xavier" 또는 "he", :func:`init_weights`). 두 활성화 함수에 같은 규칙을 씁니다.
    """
    X, y = _check_data(X, y)
    check_choice(activation, _ACTIVATIONS, name="activation")
    lr = check_positive(lr, name="lr")
    momentum = check_in_range(momentum, 0.0, 1.0, name="momentum", high_inclusive=False)
    epochs = check_int(epochs, name="epochs", minimum=0)
    if stop_at is not None:
        stop_at = check_in_range(stop_at, 0.0, 1.0, name="stop_at")
    # 작은 행렬에서는 BLAS 스레드 하나가 가장 빠르고, 다른 프로세스와 CPU를 나눌 때 여러 스레드는 수십 배
    # 느려지기도 합니다. threadpoolctl은 scikit-learn과 함께 설치됩니다.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _train_curve(X, y, activation, lr, seed, hidden, epochs, momentum, stop_at, scheme)


def _train_curve(
    X: np.ndarray,
    y: np.ndarray,
    activation: str,
    lr: float,
    seed: int,
    hidden: Sequence[int],
    epochs: int,
    momentum: float,
    stop_at: float | None,
    scheme: str,
) -> np.ndarray:
    n_classes = int(y.max()) + 1
    params = init_weights([X.shape[1], *hidden, n_classes], seed=seed, scheme=scheme)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    f, df = (act.relu, act.relu_grad) if activation == "relu" else (act.tanh, act.tanh_grad)
    onehot = np.eye(n_classes)[y]
    n = len(X)
    errors: list[float] = []
    first_loss: float | None = None
    for _ in range(epochs + 1):
        # 순전파: 은닉층마다 Z = H W + b, H = f(Z). 역전파에 쓸 H와 Z를 모아 둔다
        hs, zs = [X], []
        for W, b in params[:-1]:
            zs.append(hs[-1] @ W + b)
            hs.append(f(zs[-1]))
        logits = hs[-1] @ params[-1][0] + params[-1][1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = float(-np.mean(log_p[np.arange(n), y]))
        first_loss = loss if first_loss is None else first_loss
        if not np.isfinite(loss) or loss > 10 * first_loss:
            break  # 발산
        errors.append(float(np.mean(logits.argmax(axis=1) != y)))
        if len(errors) == epochs + 1 or (stop_at is not None and errors[-1] <= stop_at):
            break
        # 역전파: 소프트맥스 + 교차 엔트로피의 기울기는 (p − onehot) / n
        d = (np.exp(log_p) - onehot) / n
        for i in range(len(params) - 1, -1, -1):
            W, b = params[i]
            gW, gb = hs[i].T @ d, d.sum(axis=0)
            if i > 0:
                d = (d @ W.T) * df(zs[i - 1])
            vW, vb = velocity[i]
            vW *= momentum
            vW += gW
            vb *= momentum
            vb += gb
            W -= lr * vW  # 파이토치 SGD(momentum)와 같은 규칙: v ← μv + g, θ ← θ − ηv
            b -= lr * vb
    return np.array(errors)


def epochs_to_error(
    X: Any,
    y: Any,
    *,
    activation: str,
    lr: float,
    seed: int,
    target: float = 0.25,
    max_epochs: int = 60,
    **kwargs: Any,
) -> int | None:
    """훈련 오차가 처음으로 target 이하가 되는 에포크 수. max_epochs 안에 닿지 못하거나 발산하면 None."""
    curve = training_error_curve(
        X, y, activation=activation, lr=lr, seed=seed, epochs=max_epochs, stop_at=target, **kwargs
    )
    hits = np.flatnonzero(curve <= target)
    return int(hits[0]) if hits.size else None


def activation_race(
    X: Any,
    y: Any,
    *,
    lrs: Sequence[float],
    seeds: Sequence[int],
    activations: Sequence[str] = _ACTIVATIONS,
    target: float = 0.25,
    max_epochs: int = 60,
    **kwargs: Any,
) -> dict[str, Any]:
    """활성화 함수마다 학습률 격자 전체 × 씨앗 전체에서 epochs_to_error를 잰다.

    학습률은 활성화 함수마다 따로 고릅니다(AlexNet 논문처럼 "각자 가장 빨리 학습하는 값"): 모든 씨앗이
    max_epochs 안에 target에 닿은 학습률 가운데 에포크 수의 중앙값이 가장 작은 것(같으면 작은 학습률).
    돌려주는 사전: ``epochs[활성화][학습률] = 씨앗별 에포크 목록(None = 못 닿음)``,
    ``best_lr[활성화]``, ``best_epochs[활성화] = 고른 학습률에서의 씨앗별 에포크``.
    """
    if len(lrs) == 0 or len(seeds) == 0:
        raise ValueError("lrs와 seeds는 비어 있지 않아야 합니다.")
    for a in activations:
        check_choice(a, _ACTIVATIONS, name="activations")
    epochs: dict[str, dict[float, list[int | None]]] = {}
    best_lr: dict[str, float | None] = {}
    best_epochs: dict[str, list[int] | None] = {}
    for a in activations:
        epochs[a] = {
            float(lr): [
                epochs_to_error(
                    X, y, activation=a, lr=lr, seed=s, target=target, max_epochs=max_epochs, **kwargs
                )
                for s in seeds
            ]
            for lr in lrs
        }
        ok = {lr: [e for e in es if e is not None] for lr, es in epochs[a].items() if None not in es}
        if ok:
            lr_star = min(ok, key=lambda lr: (float(np.median(ok[lr])), lr))
            best_lr[a], best_epochs[a] = lr_star, ok[lr_star]
        else:
            best_lr[a], best_epochs[a] = None, None
    return {"epochs": epochs, "best_lr": best_lr, "best_epochs": best_epochs}

"""넘파이 층을 위한 옵티마이저: SGD(+모멘텀)와 Adam.

``step(params, grads)``는 ``params``의 배열을 제자리에서(in place) 바꾼다. 매개변수는 계층이 가진
배열이므로(``model.parameters()``) 이것이 이 라이브러리에서 유일하게 문서화된 수정이다. ``grads``는 읽기만 한다.
모멘텀·Adam의 상태는 ``params`` 목록의 위치(순서)마다 하나씩 기억하므로, 매번 같은 순서의 같은 모양
목록을 넘겨야 한다 (다르면 ValueError). 처음부터 다시 하려면 ``reset()``을 부른다.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import as_float_array, check_in_range, check_positive

__all__ = ["Adam", "SGD"]


def _check_params_grads(params: Any, grads: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    for name, value in (("params", params), ("grads", grads)):
        if isinstance(value, (str, bytes, np.ndarray)) or not isinstance(value, Sequence):
            raise TypeError(f"{name}는 배열의 목록이어야 합니다: {type(value).__name__}를 받았습니다.")
    if len(params) != len(grads):
        raise ValueError(
            f"grads의 길이가 params와 다릅니다: {len(params)}개를 기대했지만 {len(grads)}개를 받았습니다."
        )
    ps: list[np.ndarray] = []
    gs: list[np.ndarray] = []
    for i, (p, g) in enumerate(zip(params, grads)):
        if not isinstance(p, np.ndarray):
            raise TypeError(
                f"params[{i}]는 제자리에서 바꿀 numpy 배열이어야 합니다: {type(p).__name__}를 받았습니다."
            )
        if p.dtype.kind != "f":
            raise TypeError(f"params[{i}]는 실수 배열이어야 합니다: dtype={p.dtype}를 받았습니다.")
        if not p.flags.writeable:
            raise ValueError(f"params[{i}]가 읽기 전용 배열입니다: 제자리에서 바꿀 수 없습니다.")
        g_arr = as_float_array(g, name=f"grads[{i}]", allow_empty=p.size == 0)
        if g_arr.shape != p.shape:
            raise ValueError(
                f"grads[{i}]의 모양이 맞지 않습니다: params[{i}]와 같은 {p.shape}를 기대했지만 "
                f"{g_arr.shape}를 받았습니다."
            )
        ps.append(p)
        gs.append(g_arr)
    return ps, gs


class _Optimizer:
    def __init__(self) -> None:
        self._shapes: list[tuple[int, ...]] | None = None

    def _check_state(self, params: list[np.ndarray]) -> bool:
        """처음이면 True. 이전과 목록 구성이 다르면 ValueError."""
        shapes = [p.shape for p in params]
        if self._shapes is None:
            self._shapes = shapes
            return True
        if shapes != self._shapes:
            raise ValueError(
                "params의 구성(개수·모양)이 이전 step과 다릅니다: 같은 모델의 params()를 같은 순서로 넘기거나 "
                "reset()을 먼저 부르세요."
            )
        return False

    def reset(self) -> None:
        """모멘텀·Adam 상태를 지운다."""
        self._shapes = None


class SGD(_Optimizer):
    """확률적 경사 하강법. momentum = 0이면 p ← p − lr·g.

    모멘텀이 있으면 (torch.optim.SGD와 같은 식) v ← μ·v + g, p ← p − lr·v.
    학습률이 일정하면 『밑바닥부터』의 v ← μ·v − lr·g, p ← p + v와 같은 갱신이다.
    """

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        super().__init__()
        self.lr = check_positive(lr, name="lr")
        self.momentum = check_in_range(momentum, 0.0, 1.0, name="momentum", high_inclusive=False)
        self._velocity: list[np.ndarray] = []

    def step(self, params: Sequence[np.ndarray], grads: Sequence[Any]) -> None:
        ps, gs = _check_params_grads(params, grads)
        if self._check_state(ps):
            self._velocity = [np.zeros_like(p) for p in ps]
        for p, g, v in zip(ps, gs, self._velocity):
            K.sgd_step(p, v, g, self.lr, self.momentum)  # v ← μv + g, p ← p − lr·v

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam(_Optimizer):
    """Adam (Kingma & Ba, 2015). t번째 step에서

    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ),  p ← p − lr·m̂ / (√v̂ + ε).
    """

    def __init__(
        self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        super().__init__()
        self.lr = check_positive(lr, name="lr")
        if isinstance(betas, (str, bytes)) or not isinstance(betas, Sequence) or len(betas) != 2:
            raise TypeError(f"betas는 실수 두 개의 튜플이어야 합니다: {betas!r}를 받았습니다.")
        b1 = check_in_range(betas[0], 0.0, 1.0, name="betas[0]", high_inclusive=False)
        b2 = check_in_range(betas[1], 0.0, 1.0, name="betas[1]", high_inclusive=False)
        self.betas = (b1, b2)
        self.eps = check_positive(eps, name="eps")
        self.t = 0
        self._m: list[np.ndarray] = []
        self._v: list[np.ndarray] = []

    def reset(self) -> None:
        super().reset()
        self.t = 0

    def step(self, params: Sequence[np.ndarray], grads: Sequence[Any]) -> None:
        ps, gs = _check_params_grads(params, grads)
        if self._check_state(ps):
            self._m = [np.zeros_like(p) for p in ps]
            self._v = [np.zeros_like(p) for p in ps]
            self.t = 0
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, v in zip(ps, gs, self._m, self._v):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * g * g
            m_hat = m / (1.0 - b1**self.t)
            v_hat = v / (1.0 - b2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps})"

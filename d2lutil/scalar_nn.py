"""스칼라 자동 미분(:class:`d2lutil.autograd.Value`) 위의 작은 신경망 (micrograd의 nn.py를 본뜬 것).

너비의 이름은 d2lutil 전체와 같다: 층 하나는 ``in_features``, ``out_features``, 망 전체는 ``sizes``(입력부터
출력까지의 모든 너비, 예: ``[2, 4, 1]``). torch처럼 ``model(x)``(``__call__``)가 입구에서 x를 한 번 검사하고
``forward(x)``를 부른다. 층과 뉴런은 서로 ``forward``를 불러, 안쪽에서는 다시 검사하지 않는다.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil._checks import check_choice, check_int, check_real, check_seed, check_sequence
from d2lutil.autograd import Value

__all__ = ["MLP", "Module", "Neuron", "NeuronLayer"]

_ACTIVATIONS = {"tanh": Value.tanh, "relu": Value.relu, "sigmoid": Value.sigmoid, "linear": lambda v: v}
_MAX_WIDTH = 10_000  # 스칼라 엔진은 작은 망을 보여 주려는 것이다. 이보다 넓으면 크기를 잘못 넣은 것이다.


def _random(seed: Any) -> random.Random | np.random.Generator:
    """seed: 정수, random.Random, np.random.Generator. 전역 난수 상태는 건드리지 않는다."""
    if isinstance(seed, (random.Random, np.random.Generator)):
        return seed
    return random.Random(check_seed(seed))


def _inputs(x: Any, n: int) -> list[Value]:
    """x를 Value n개의 목록으로. 수는 한 번만 잎 노드로 바꿔 두면 뉴런마다 상수 노드를 새로 만들지 않는다."""
    x = check_sequence(x, name="x", what="수 또는 Value의 목록")
    if len(x) != n:
        raise ValueError(f"x의 길이가 맞지 않습니다: {n}개를 기대했지만 {len(x)}개를 받았습니다.")
    return [
        v if isinstance(v, Value) else Value(check_real(v, name=f"x[{i}]"), f"x{i}") for i, v in enumerate(x)
    ]


class Module:
    """매개변수를 가진 것의 바탕: ``parameters()``, ``zero_grad()``, 입구 ``model(x)``.

    정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용, :mod:`d2lutil.autograd`로 신경망을 학습하는 예)
    """

    in_features = 0  # 하위 클래스가 입력 너비로 정한다

    def __call__(self, x: Sequence[Any]) -> Any:
        """x(수 또는 Value의 목록, 길이 in_features)를 한 번 검사해 Value로 바꾼 뒤 forward(x)를 돌려준다."""
        return self.forward(_inputs(x, self.in_features))

    def forward(self, x: list[Value]) -> Any:
        """검사가 끝난 입력으로 계산한다. 하위 클래스가 정의한다."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """학습할 매개변수(Value)의 목록."""
        return []

    def zero_grad(self) -> None:
        """모든 매개변수의 grad를 0으로 한다. 학습 반복마다 backward 전에 부른다."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """뉴런 하나: act(Σ w_i x_i + b). 가중치는 U(−1, 1), 편향은 0에서 시작한다.

    activation: "tanh", "relu", "sigmoid", "linear". seed: 정수, random.Random, np.random.Generator.

    정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용)
    """

    def __init__(self, in_features: int, *, activation: str = "tanh", seed: Any = 0) -> None:
        self.in_features = check_int(in_features, name="in_features", minimum=1, maximum=_MAX_WIDTH)
        self.activation = check_choice(activation, tuple(_ACTIVATIONS), name="activation")
        rng = _random(seed)
        self.w = [Value(float(rng.uniform(-1.0, 1.0)), f"w{i}") for i in range(self.in_features)]
        self.b = Value(0.0, "b")

    def forward(self, x: list[Value]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return _ACTIVATIONS[self.activation](act)

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation})"


class NeuronLayer(Module):
    """뉴런 out_features개가 같은 입력(길이 in_features)을 받는 층. 출력은 Value의 목록.

    정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용)
    """

    def __init__(
        self, in_features: int, out_features: int, *, activation: str = "tanh", seed: Any = 0
    ) -> None:
        out_features = check_int(out_features, name="out_features", minimum=1, maximum=_MAX_WIDTH)
        rng = _random(seed)
        self.neurons = [Neuron(in_features, activation=activation, seed=rng) for _ in range(out_features)]
        self.in_features = self.neurons[0].in_features

    def forward(self, x: list[Value]) -> list[Value]:
        return [n.forward(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"NeuronLayer([{', '.join(repr(n) for n in self.neurons)}])"


class MLP(Module):
    """다층 퍼셉트론. sizes: 입력부터 출력까지의 너비 (예: ``MLP([2, 4, 1])``).

    마지막 층은 output_activation(기본 "linear"), 나머지는 activation. 출력이 하나면 Value 하나를,
    여럿이면 목록을 돌려준다 (micrograd와 같다).

    정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str = "tanh",
        output_activation: str = "linear",
        seed: Any = 0,
    ) -> None:
        sizes = check_sequence(sizes, name="sizes", what="정수의 목록")
        sizes = [check_int(n, name=f"sizes[{i}]", minimum=1, maximum=_MAX_WIDTH) for i, n in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(
                f"sizes에는 입력과 출력의 너비가 모두 있어야 합니다: 길이 {len(sizes)}인 목록을 받았습니다."
            )
        check_choice(activation, tuple(_ACTIVATIONS), name="activation")
        check_choice(output_activation, tuple(_ACTIVATIONS), name="output_activation")
        acts = [activation] * (len(sizes) - 2) + [output_activation]
        rng = _random(seed)
        self.layers = [NeuronLayer(m, n, activation=a, seed=rng) for m, n, a in zip(sizes, sizes[1:], acts)]
        self.in_features = sizes[0]

    def forward(self, x: list[Value]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer.forward(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"

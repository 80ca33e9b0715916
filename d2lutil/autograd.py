"""스칼라 자동 미분 엔진 (micrograd를 본뜬 것)과 그 위의 작은 신경망.

``Value``는 실수 하나(``data``)와 그 기울기(``grad``)를 담고, 자기를 만든 연산의 입력(``_prev``)과
그 입력들에 대한 국소 도함수(``_local``)를 기억한다. 예: ``c = a * b``이면 ``c._prev = (a, b)``,
``c._local = (b.data, a.data)``. 역전파는 연쇄 법칙 하나뿐이다::

    입력.grad += 국소 도함수 × 출력.grad     (출력에서 입력 쪽으로, 위상 역순으로)

설계 결정:

* 위상 정렬은 재귀가 아닌 반복문(스택)으로 한다. 재귀로 하면 10,000단 사슬에서 파이썬 재귀 한도에 걸린다.
* ``+=``로 누적한다. 한 노드가 두 번 쓰이면(``x * x``) 두 갈래의 기여가 모두 더해진다.
* ``backward()``를 두 번 부르면: torch처럼 **잎 노드(입력·매개변수)의 grad는 누적**되고(두 배가 된다),
  중간 노드의 grad는 매번 이번 역전파의 값으로 새로 계산된다. 그래서 학습 반복마다 ``zero_grad()``를
  먼저 불러야 한다 (잊으면 기울기가 쌓인다: 흔한 실수).
* ``data``는 언제나 유한한 실수다. 정의역 밖(log 0, 0으로 나누기, 음수의 분수 거듭제곱)이나 넘침은
  한국어 ValueError로 알린다.
* 빠르게: ``__slots__``를 쓰고 클로저 대신 국소 도함수 튜플을 저장한다.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil._checks import check_choice, check_int, check_seed

__all__ = ["Layer", "MLP", "Module", "Neuron", "Value"]


def _as_float(x: Any, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}은(는) 실수여야 합니다: {type(x).__name__} 값 {x!r}를 받았습니다.")
    try:
        v = float(x)
    except OverflowError:  # 10**400 같은 큰 정수
        v = math.inf
    if not math.isfinite(v):
        raise ValueError(f"{name}은(는) 유한한 실수여야 합니다: {x!r}를 받았습니다.")
    return v


def _coerce(other: Any) -> Value:
    if isinstance(other, Value):
        return other
    if type(other) is not float or not math.isfinite(other):
        other = _as_float(other, "other")
    return Value(other)


class Value:
    """자동 미분되는 스칼라. 지원: + − × ÷, ``**``(상수 지수), exp, log, tanh, sigmoid, relu."""

    __slots__ = ("data", "grad", "label", "_op", "_prev", "_local")

    def __init__(
        self,
        data: float,
        label: str = "",
        _prev: tuple[Value, ...] = (),
        _local: tuple[float, ...] = (),
        _op: str = "",
    ) -> None:
        if type(data) is not float:
            data = _as_float(data, "data")
        elif not math.isfinite(data):
            if _prev:
                raise ValueError(f"'{_op}' 연산의 결과가 유한하지 않습니다(넘침): 입력을 더 작게 하세요.")
            raise ValueError(f"data은(는) 유한한 실수여야 합니다: {data!r}를 받았습니다.")
        if type(label) is not str:
            raise TypeError(f"label은 문자열이어야 합니다: {type(label).__name__}를 받았습니다.")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._prev = _prev
        self._local = _local

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ----------------------------------------------------------------------- 이항 연산
    def __add__(self, other: Any) -> Value:
        o = other if isinstance(other, Value) else _coerce(other)
        return Value(self.data + o.data, "", (self, o), (1.0, 1.0), "+")

    def __mul__(self, other: Any) -> Value:
        o = other if isinstance(other, Value) else _coerce(other)
        return Value(self.data * o.data, "", (self, o), (o.data, self.data), "*")

    def __sub__(self, other: Any) -> Value:
        o = other if isinstance(other, Value) else _coerce(other)
        return Value(self.data - o.data, "", (self, o), (1.0, -1.0), "-")

    def __truediv__(self, other: Any) -> Value:
        o = other if isinstance(other, Value) else _coerce(other)
        if o.data == 0.0:
            raise ValueError(f"0으로 나눌 수 없습니다: 분모가 0입니다 ({self.data} / 0).")
        out = self.data / o.data
        return Value(out, "", (self, o), (1.0 / o.data, -out / o.data), "/")

    def __radd__(self, other: Any) -> Value:
        return _coerce(other) + self

    def __rmul__(self, other: Any) -> Value:
        return _coerce(other) * self

    def __rsub__(self, other: Any) -> Value:
        return _coerce(other) - self

    def __rtruediv__(self, other: Any) -> Value:
        return _coerce(other) / self

    def __neg__(self) -> Value:
        return Value(-self.data, "", (self,), (-1.0,), "neg")

    def __pow__(self, k: Any) -> Value:
        """x ** k (k는 상수). d/dx = k·x^(k−1)."""
        if isinstance(k, Value):
            raise TypeError("지수 k는 상수(int 또는 float)여야 합니다: Value 지수는 exp와 log로 쓰세요.")
        k = _as_float(k, "k")
        x = self.data
        if x < 0 and not k.is_integer():
            raise ValueError(f"음수 {x}의 분수 거듭제곱(k={k})은 실수가 아닙니다.")
        if x == 0 and k < 1 and k != 0:
            raise ValueError(f"0 ** {k}의 도함수는 정의되지 않습니다(무한대): x가 0이 아니어야 합니다.")
        try:
            out = x**k
            local = 0.0 if k == 0 else k * x ** (k - 1)
        except OverflowError:
            raise ValueError(f"x ** k의 결과가 넘칩니다: x = {x}, k = {k}.") from None
        return Value(out, "", (self,), (local,), f"**{k:g}")

    def __rpow__(self, base: Any) -> Value:
        """c ** x (c > 0인 상수) = exp(x log c)."""
        c = _as_float(base, "base")
        if c <= 0:
            raise ValueError(f"base는 양수여야 합니다: {c}를 받았습니다.")
        try:
            out = c**self.data
        except OverflowError:
            raise ValueError(f"{c} ** {self.data}의 결과가 넘칩니다.") from None
        return Value(out, "", (self,), (out * math.log(c),), f"{c:g}**")

    # ----------------------------------------------------------------------- 단항 함수
    def exp(self) -> Value:
        """e^x. d/dx = e^x."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({self.data})가 넘칩니다: 약 709보다 작은 값만 됩니다.") from None
        return Value(out, "", (self,), (out,), "exp")

    def log(self) -> Value:
        """자연로그 ln x (x > 0). d/dx = 1/x."""
        if self.data <= 0:
            raise ValueError(f"log의 입력은 양수여야 합니다: {self.data}를 받았습니다.")
        return Value(math.log(self.data), "", (self,), (1.0 / self.data,), "log")

    def tanh(self) -> Value:
        """tanh x. d/dx = 1 − tanh² x."""
        t = math.tanh(self.data)
        return Value(t, "", (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^{−x}) (큰 |x|에서도 넘치지 않게). d/dx = σ(1 − σ)."""
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value(s, "", (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x). d/dx = 1 (x > 0), 0 (x ≤ 0; x = 0에서 0은 torch와 같은 약속)."""
        x = self.data
        return Value(x if x > 0 else 0.0, "", (self,), (1.0 if x > 0 else 0.0,), "relu")

    # ----------------------------------------------------------------------- 그래프
    def _topo(self) -> list[Value]:
        """self에 이르는 모든 노드를 위상 순서(입력이 먼저, self가 마지막)로. 재귀 없이 스택으로 한다.

        깊이 우선 탐색에서 한 노드의 입력들을 모두 끝낸 뒤에 그 노드를 order에 넣는다(후위 순서).
        스택의 None은 "path 맨 끝 노드의 입력이 모두 끝났다"는 표시다.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        path: list[Value] = []  # 입력을 처리하고 있는 노드들 (재귀였다면 호출 스택)
        stack: list[Value | None] = [self]
        while stack:
            node = stack.pop()
            if node is None:
                order.append(path.pop())
            elif node not in visited:
                visited.add(node)
                path.append(node)
                stack.append(None)
                stack.extend(node._prev)
        return order

    def backward(self) -> None:
        """self를 출력으로 보고 그래프의 모든 노드에 ∂self/∂노드를 계산한다.

        중간 노드의 grad는 0에서 다시 계산하고, 잎 노드의 grad에는 더한다(누적, torch와 같다).
        """
        order = self._topo()
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            g = node.grad
            for child, local in zip(node._prev, node._local):
                child.grad += local * g

    def zero_grad(self) -> None:
        """self에 이르는 그래프의 모든 노드(잎 포함)의 grad를 0으로 한다."""
        for node in self._topo():
            node.grad = 0.0

    def trace(self) -> tuple[list[Value], list[tuple[Value, Value]]]:
        """그래프 그리기용: (노드 목록(위상 순서), 간선 목록 [(입력, 출력), …]).

        같은 입력이 두 번 쓰여도(``x * x``) 간선은 한 번만 적는다. 연산 이름은 ``node._op``.
        """
        nodes = self._topo()
        edges: list[tuple[Value, Value]] = []
        for node in nodes:
            seen: set[Value] = set()
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    edges.append((child, node))
        return nodes, edges


# =========================================================================== 신경망


def _random(seed: Any) -> random.Random | np.random.Generator:
    """seed: 정수, random.Random, np.random.Generator. 전역 난수 상태는 건드리지 않는다."""
    if isinstance(seed, (random.Random, np.random.Generator)):
        return seed
    return random.Random(check_seed(seed))


_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
_MAX_WIDTH = 10_000  # 스칼라 엔진은 작은 망을 보여 주려는 것이다. 이보다 넓으면 크기를 잘못 넣은 것이다.


class Module:
    """매개변수를 가진 것의 바탕: parameters()와 zero_grad()."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """모든 매개변수의 grad를 0으로 한다. 학습 반복마다 backward 전에 부른다."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """뉴런 하나: act(Σ w_i x_i + b). 가중치는 U(−1, 1), 편향은 0에서 시작한다."""

    def __init__(self, nin: int, *, activation: str = "tanh", seed: Any = 0) -> None:
        nin = check_int(nin, name="nin", minimum=1, maximum=_MAX_WIDTH)
        self.activation = check_choice(activation, _ACTIVATIONS, name="activation")
        rng = _random(seed)
        self.w = [Value(float(rng.uniform(-1.0, 1.0)), f"w{i}") for i in range(nin)]
        self.b = Value(0.0, "b")

    def __call__(self, x: Sequence[Any]) -> Value:
        if type(x) is not list and (isinstance(x, (str, bytes)) or not isinstance(x, Sequence)):
            raise TypeError(f"x는 수 또는 Value의 목록이어야 합니다: {type(x).__name__}를 받았습니다.")
        if len(x) != len(self.w):
            raise ValueError(
                f"x의 길이가 맞지 않습니다: {len(self.w)}개를 기대했지만 {len(x)}개를 받았습니다."
            )
        out = self.b
        for wi, xi in zip(self.w, x):
            out = out + wi * xi
        if self.activation == "tanh":
            return out.tanh()
        if self.activation == "relu":
            return out.relu()
        if self.activation == "sigmoid":
            return out.sigmoid()
        return out

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation})"


class Layer(Module):
    """뉴런 nout개가 같은 입력을 받는 층. 출력은 Value의 목록."""

    def __init__(self, nin: int, nout: int, *, activation: str = "tanh", seed: Any = 0) -> None:
        nout = check_int(nout, name="nout", minimum=1, maximum=_MAX_WIDTH)
        rng = _random(seed)
        self.neurons = [Neuron(nin, activation=activation, seed=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer([{', '.join(repr(n) for n in self.neurons)}])"


class MLP(Module):
    """다층 퍼셉트론. nouts의 마지막 층은 output_activation(기본 "linear"), 나머지는 activation.

    출력이 하나면 Value 하나를, 여럿이면 목록을 돌려준다 (micrograd와 같다).
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: str = "tanh",
        output_activation: str = "linear",
        seed: Any = 0,
    ) -> None:
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
            raise TypeError(f"nouts는 정수의 목록이어야 합니다: {type(nouts).__name__}를 받았습니다.")
        if len(nouts) == 0:
            raise ValueError("nouts가 비어 있습니다: 층이 하나 이상 있어야 합니다.")
        check_choice(activation, _ACTIVATIONS, name="activation")
        check_choice(output_activation, _ACTIVATIONS, name="output_activation")
        sizes = [check_int(nin, name="nin", minimum=1, maximum=_MAX_WIDTH)]
        sizes += [
            check_int(n, name=f"nouts[{i}]", minimum=1, maximum=_MAX_WIDTH) for i, n in enumerate(nouts)
        ]
        rng = _random(seed)
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=output_activation if i == last else activation, seed=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Any]) -> Value | list[Value]:
        if type(x) is not list and (isinstance(x, (str, bytes)) or not isinstance(x, Sequence)):
            raise TypeError(f"x는 수 또는 Value의 목록이어야 합니다: {type(x).__name__}를 받았습니다.")
        out: list[Value] = [_coerce_input(xi, i) for i, xi in enumerate(x)]
        for layer in self.layers:
            out = layer(out)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"


def _coerce_input(x: Any, i: int) -> Value:
    """입력을 한 번만 Value로 바꿔 두면 뉴런마다 상수 노드를 새로 만들지 않는다."""
    if isinstance(x, Value):
        return x
    if type(x) is not float or not math.isfinite(x):
        x = _as_float(x, f"x[{i}]")
    return Value(x, f"x{i}")

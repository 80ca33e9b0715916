"""스칼라 자동 미분 엔진 (micrograd의 engine.py를 본뜬 것). 그 위의 작은 신경망은 :mod:`d2lutil.scalar_nn`.

``Value``는 실수 하나(``data``)와 기울기(``grad``)를 담고, 자기를 만든 연산의 입력(``_prev``)과 입력마다의
국소 도함수(``_local``)를 기억한다. ``c = a * b``이면 ``c._prev = (a, b)``, ``c._local = (b.data, a.data)``.
역전파는 연쇄 법칙 한 줄을 출력에서 입력 쪽으로(위상 역순으로) 되풀이하는 것이다::

    입력.grad += 국소 도함수 × 출력.grad

* 위상 정렬은 재귀가 아니라 스택으로 한다: 재귀로는 10,000단 사슬에서 파이썬 재귀 한도에 걸린다.
* ``backward()``를 두 번 부르면 torch처럼 잎 노드(입력·매개변수)의 grad는 누적되고, 중간 노드의 grad는
  새로 계산된다. 그래서 학습 반복마다 ``zero_grad()``를 먼저 부른다.
* 검사는 입구에서 한 번: 잎 노드를 만들 때(``Value(data, label)``)와 연산에 섞인 수(상수)만 검사하고,
  그 밖에는 정의역 밖(0으로 나누기, log 0 등), 넘침, 유한하지 않은 기울기를 한국어 ValueError로 알린다.
"""

from __future__ import annotations

import math
import sys
import warnings
from typing import Any

from d2lutil._checks import check_real

__all__ = ["Value"]

_EXP_MAX = math.log(sys.float_info.max)  # ≈ 709.78: e^x가 float로 넘치지 않는 가장 큰 x


class Value:
    """자동 미분되는 스칼라: + − × ÷, ``**``(상수 지수), exp, log, tanh, sigmoid, relu, backward.

    정의된 곳: 3.1 「연쇄 법칙과 계산 그래프」
    """

    __slots__ = ("data", "grad", "label", "_prev", "_local", "_op")  # 노드가 많아도 가볍고 빠르게

    def __init__(self, data: float, label: str = "") -> None:
        """잎 노드(입력·매개변수)를 만든다. data: 유한한 실수, label: 그래프에 적을 이름."""
        if not isinstance(label, str):
            raise TypeError(f"label은 문자열이어야 합니다: {type(label).__name__}를 받았습니다.")
        self.data = check_real(data, name="data")
        self.grad = 0.0
        self.label = label
        self._prev: tuple[Value, ...] = ()  # 이 노드를 만든 연산의 입력들 (잎이면 비어 있다)
        self._local: tuple[float, ...] = ()  # 입력마다 ∂(이 노드)/∂(입력)
        self._op = ""

    @staticmethod
    def _node(data: float, prev: tuple[Value, ...], local: tuple[float, ...], op: str) -> Value:
        """연산의 결과 노드 (입력은 이미 검사된 Value이므로 결과가 넘쳤는지만 본다)."""
        if not math.isfinite(data):
            raise ValueError(f"'{op}' 연산의 결과가 넘칩니다({data}): 입력의 크기를 줄이세요.")
        out = Value.__new__(Value)  # __init__의 검사를 건너뛴다
        out.data, out.grad, out.label = data, 0.0, ""
        out._prev, out._local, out._op = prev, local, op
        return out

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # 이항 연산: 결과 = f(a, b), 국소 도함수 = (∂f/∂a, ∂f/∂b)
    def __add__(self, other: Any) -> Value:
        o = _as_value(other)
        return Value._node(self.data + o.data, (self, o), (1.0, 1.0), "+")

    def __sub__(self, other: Any) -> Value:
        o = _as_value(other)
        return Value._node(self.data - o.data, (self, o), (1.0, -1.0), "-")

    def __mul__(self, other: Any) -> Value:
        o = _as_value(other)
        return Value._node(self.data * o.data, (self, o), (o.data, self.data), "*")

    def __truediv__(self, other: Any) -> Value:
        o = _as_value(other)
        if o.data == 0.0:
            raise ValueError(f"0으로 나눌 수 없습니다: 분모가 0입니다 ({self.data} / 0).")
        out = self.data / o.data
        return Value._node(out, (self, o), (1.0 / o.data, -out / o.data), "/")

    # 2 + x처럼 수가 왼쪽에 올 때. 덧셈과 곱셈은 순서를 바꿔도 같다.
    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other: Any) -> Value:
        return _as_value(other) - self

    def __rtruediv__(self, other: Any) -> Value:
        return _as_value(other) / self

    def __neg__(self) -> Value:
        return Value._node(-self.data, (self,), (-1.0,), "neg")

    def __pow__(self, k: Any) -> Value:
        """x ** k (k는 상수; Value 지수는 exp와 log로 쓴다). d/dx = k·x^(k−1)."""
        k = check_real(k, name="k")
        out, local = _power(self.data, k)  # x**k와 k·x**(k−1), 정의역 밖이면 한국어 ValueError
        return Value._node(out, (self,), (local,), f"**{k:g}")

    def __rpow__(self, base: Any) -> Value:
        """c ** x (c > 0인 상수) = e^{x ln c}: 곱셈과 exp로 만든다 (기울기는 연쇄 법칙이 준다)."""
        c = check_real(base, name="base")
        if c <= 0:
            raise ValueError(f"base는 양수여야 합니다: {c}를 받았습니다.")
        return (self * math.log(c)).exp()

    # 단항 함수: 결과 = f(x), 국소 도함수 = f'(x)
    def exp(self) -> Value:
        """e^x. d/dx = e^x."""
        if self.data > _EXP_MAX:
            raise ValueError(f"exp({self.data})가 넘칩니다: x는 약 {_EXP_MAX:.2f} 이하여야 합니다.")
        out = math.exp(self.data)
        return Value._node(out, (self,), (out,), "exp")

    def log(self) -> Value:
        """자연로그 ln x (x > 0). d/dx = 1/x."""
        if self.data <= 0:
            raise ValueError(f"log의 입력은 양수여야 합니다: {self.data}를 받았습니다.")
        return Value._node(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self) -> Value:
        """tanh x. d/dx = 1 − tanh² x."""
        t = math.tanh(self.data)
        return Value._node(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^{−x}), 큰 |x|에서도 넘치지 않게 부호에 따라 나눠 계산한다. d/dx = σ(1 − σ)."""
        x = self.data
        e = math.exp(-abs(x))  # 0 < e ≤ 1
        s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
        return Value._node(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x). d/dx = 1 (x > 0), 0 (x ≤ 0; x = 0에서 0은 torch와 같은 약속)."""
        x = self.data
        return Value._node(x if x > 0 else 0.0, (self,), (1.0 if x > 0 else 0.0,), "relu")

    # 그래프
    def _topo(self) -> list[Value]:
        """self에 이르는 노드를 위상 순서로(입력이 먼저, self가 마지막): 스택으로 하는 깊이 우선 후위 순회."""
        order: list[Value] = []
        visited: set[Value] = set()
        path: list[Value] = []  # 입력을 처리하고 있는 노드들 (재귀였다면 호출 스택)
        stack: list[Value | None] = [self]
        while stack:
            node = stack.pop()
            if node is None:  # path 맨 끝 노드의 입력이 모두 끝났다
                order.append(path.pop())
            elif node not in visited:
                visited.add(node)
                path.append(node)
                stack.append(None)  # 입력들을 다 처리한 뒤에 꺼내진다
                stack.extend(node._prev)
        return order

    def backward(self) -> None:
        """self를 출력으로 보고 그래프의 모든 노드에 ∂self/∂노드를 구한다.

        중간 노드의 grad는 0에서 다시 구하고, 잎 노드의 grad에는 더한다(누적, torch와 같다).
        어떤 노드의 기울기가 유한하지 않게 되면 그 노드와 연산을 밝혀 ValueError를 낸다.
        """
        order = self._topo()
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):  # 노드에 올 기여가 모두 더해진 뒤에 그 노드를 처리한다
            if not math.isfinite(node.grad):
                raise _nonfinite_grad(node, order)
            for child, local in zip(node._prev, node._local):
                child.grad += local * node.grad

    def zero_grad(self) -> None:
        """self에 이르는 그래프의 모든 노드(잎 포함)의 grad를 0으로 한다."""
        for node in self._topo():
            node.grad = 0.0

    def trace(self) -> tuple[list[Value], list[tuple[Value, Value]]]:
        """그래프 그리기용: (노드 목록(위상 순서), 간선 목록 [(입력, 출력), …]). ``x * x``의 간선은 하나."""
        nodes = self._topo()
        edges = [
            (child, node) for node in nodes for child in dict.fromkeys(node._prev)
        ]  # 순서 지키며 중복 빼기
        return nodes, edges


def _power(x: float, k: float) -> tuple[float, float]:
    """(x**k, k·x**(k−1)). 실수가 아니거나 도함수가 무한대이거나 넘치면 한국어 ValueError."""
    if x < 0 and not k.is_integer():
        raise ValueError(f"음수 {x}의 분수 거듭제곱(k={k})은 실수가 아닙니다.")
    if x == 0 and k < 1 and k != 0:
        raise ValueError(f"0 ** {k}의 도함수는 정의되지 않습니다(무한대): x가 0이 아니어야 합니다.")
    try:
        return x**k, (k * x ** (k - 1) if k != 0 else 0.0)
    except OverflowError:
        raise ValueError(f"x ** k가 넘칩니다: x = {x}, k = {k}.") from None


def _as_value(other: Any) -> Value:
    """연산에 섞인 수(상수)를 검사해 잎 노드로 만든다. Value는 그대로 둔다."""
    return other if isinstance(other, Value) else Value(check_real(other, name="other"))


def _nonfinite_grad(node: Value, order: list[Value]) -> ValueError:
    """backward에서 node의 grad가 유한하지 않을 때의 오류. 어느 연산이 그 값을 보냈는지 찾아 밝힌다."""
    name = f"노드 '{node.label}'" if node.label else f"'{node._op}' 연산의 결과 노드"
    if not node.label and not node._op:
        name = "이름 없는 잎 노드"
    sources = [
        f"'{out._op}' 연산이 보낸 값(국소 도함수 {local:g} × 출력의 grad {out.grad:g})이 넘쳤습니다"
        for out in order
        for child, local in zip(out._prev, out._local)
        if child is node and not math.isfinite(local * out.grad)
    ]
    cause = sources[0] if sources else "유한한 기여들을 더하다가 넘쳤습니다"
    return ValueError(
        f"{name}의 기울기가 유한하지 않습니다(grad = {node.grad:g}): {cause}. "
        "0에 아주 가까운 수로 나누거나 값이 너무 크면 생깁니다."
    )


_MOVED = {"Module": "Module", "Neuron": "Neuron", "Layer": "NeuronLayer", "MLP": "MLP"}


def __getattr__(name: str) -> Any:
    """예전 이름(``autograd.MLP`` 등)은 :mod:`d2lutil.scalar_nn`으로 옮겼다. 가져오면 경고하고 돌려준다."""
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    new = _MOVED[name]
    warnings.warn(
        f"d2lutil.autograd.{name}은 d2lutil.scalar_nn.{new}로 옮겼습니다 (너비는 in_features, sizes로 받습니다).",
        DeprecationWarning,
        stacklevel=2,
    )
    from d2lutil import scalar_nn

    return getattr(scalar_nn, new)

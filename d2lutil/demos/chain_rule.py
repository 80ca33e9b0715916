"""3.1절 데모: 작은 계산 그래프의 역전파를 한 노드씩 넘겨 본다.

그래프는 뉴런 하나와 제곱 오차 손실이다::

    z = w1·x1 + w2·x2 + b,   a = σ(z),   L = (a − t)²

단계 0에서는 순전파만 끝나 있고(모든 노드에 값이 있고 기울기는 비어 있다), 단계 1에서 출력의 기울기를
∂L/∂L = 1로 놓는다. 그 뒤 단계마다 연산 노드 하나(위상 역순)가 자기 기울기에 국소 도함수를 곱해 입력
노드들에 더한다: ``입력.grad += 국소 도함수 × 출력.grad``. 마지막 단계의 기울기는 ``Value.backward()``와 같다.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from d2lutil._checks import check_int
from d2lutil.autograd import Value
from d2lutil.plotting import CLASS_COLORS, draw_graph
from d2lutil.widgets import Demo, IntParam

__all__ = ["BackpropStepperDemo", "backward_steps", "neuron_graph"]

#: 데모 그래프의 입력값 (손으로 따라가기 쉬운 값: z = 0, a = 0.5, L = 0.25)
NEURON_INPUTS: dict[str, float] = {"x1": 2.0, "w1": 0.5, "x2": -1.0, "w2": 1.5, "b": 0.5, "t": 1.0}


_LABELS = {"w1x1": "w1·x1", "w2x2": "w2·x2", "s": "s", "z": "z", "a": "a", "d": "d", "L": "L"}


def neuron_graph(values: dict[str, float] | None = None) -> tuple[Value, dict[str, Value]]:
    """L = (σ(w1·x1 + w2·x2 + b) − t)²의 그래프를 만들어 (L, {이름: 노드})를 돌려준다 (역전파 전).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    v = dict(NEURON_INPUTS)
    if values is not None:
        unknown = sorted(set(values) - set(v))
        if unknown:
            raise ValueError(
                f"values에 모르는 이름이 있습니다: {unknown}. 쓸 수 있는 이름은 {sorted(v)}입니다."
            )
        v.update(values)
    leaf = {name: Value(v[name], name) for name in ("x1", "w1", "x2", "w2", "b", "t")}
    nodes = dict(leaf)
    nodes["w1x1"] = leaf["w1"] * leaf["x1"]
    nodes["w2x2"] = leaf["w2"] * leaf["x2"]
    nodes["s"] = nodes["w1x1"] + nodes["w2x2"]
    nodes["z"] = nodes["s"] + leaf["b"]
    nodes["a"] = nodes["z"].sigmoid()
    nodes["d"] = nodes["a"] - leaf["t"]
    nodes["L"] = nodes["d"] ** 2
    for name, label in _LABELS.items():
        nodes[name].label = label
    return nodes["L"], nodes


def backward_steps(root: Value) -> list[dict[int, float]]:
    """역전파를 한 단계씩 흉내 내며 단계마다 {id(노드): 그때까지 쌓인 grad} 스냅숏을 돌려준다.

    스냅숏 0: 아무 기울기도 없음(순전파만). 1: 출력의 grad = 1. 그 뒤: 연산 노드를 위상 역순으로 하나씩
    처리한 뒤의 상태. 노드의 ``grad`` 속성은 건드리지 않는다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    if not isinstance(root, Value):
        raise TypeError(f"root는 autograd.Value여야 합니다: {type(root).__name__}를 받았습니다.")
    order, _ = root.trace()
    grads: dict[int, float] = {}
    snaps: list[dict[int, float]] = [dict(grads)]
    grads[id(root)] = 1.0
    snaps.append(dict(grads))
    for node in reversed(order):
        if not node._prev:
            continue
        g = grads.get(id(node), 0.0)
        for child, local in zip(node._prev, node._local):
            grads[id(child)] = grads.get(id(child), 0.0) + local * g
        snaps.append(dict(grads))
    return snaps


_OP_NAMES = {"*": "곱셈", "+": "덧셈", "-": "뺄셈", "sigmoid": "시그모이드", "**2": "제곱"}
_IDLE = "#E8F1FA"
_DONE = "#EDEDED"
_NOW = "#FFD8A8"
_RECV = "#B7E1CD"


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _paren(x: float) -> str:
    """음수는 괄호로 감싼다: 1×(-0.25)."""
    return f"({_fmt(x)})" if x < 0 else _fmt(x)


class BackpropStepperDemo(Demo):
    """역전파 단계를 넘기면 각 노드에 기울기가 어떻게 채워지는지 보여 준다. 정의된 곳: 3.1 「연쇄 법칙과 계산 그래프」"""

    figsize = (9.6, 4.4)
    alt = (
        "뉴런 하나와 제곱 오차 손실의 계산 그래프. 노드마다 값(data)과 지금까지 쌓인 기울기(grad)를 적고, "
        "이번 단계에 역전파를 수행한 노드는 주황색, 기울기를 받은 입력 노드는 초록색으로 칠한다."
    )

    def __init__(self, *, html_id: str | None = None) -> None:
        self.root, self.nodes = neuron_graph()
        self.order, _ = self.root.trace()
        self.ops = [n for n in reversed(self.order) if n._prev]
        self.snaps = backward_steps(self.root)
        super().__init__(html_id=html_id)

    def warm(self) -> None:
        """살아 있는 위젯을 띄운 뒤 뒤(스레드)에서 모든 단계의 그림을 미리 그려 둔다.

        화살표(주석)가 글자 상자를 따라 그려지므로 이 그림은 바뀐 부분만 다시 그릴 수 없고 한 장에 40 ms쯤
        걸린다. 단계는 9개뿐이라 미리 그려 두면 슬라이더를 움직일 때 PNG 캐시에서 바로 나온다.
        """
        self.prerender(self.grid())

    @property
    def n_steps(self) -> int:
        """마지막 단계 번호 (단계는 0부터 n_steps까지)."""
        return len(self.snaps) - 1

    params = (IntParam("step", "역전파 단계", 0, 8, default=0, grid=tuple(range(9)), continuous=True),)

    def setup(self, fig: Figure) -> None:
        self.ax = fig.add_axes((0.0, 0.15, 1.0, 0.84))
        art = draw_graph(self.ax, self.root)
        self.texts: dict[int, Any] = art["nodes"]
        for text in self.texts.values():
            text.set_fontsize(9)
        # 노드의 기울기는 그 노드를 입력으로 쓰는 연산이 모두 처리된 뒤에야 완성된다
        self.consumers: dict[int, list[int]] = {id(n): [] for n in self.order}
        for node in self.order:
            for child in set(node._prev):
                self.consumers[id(child)].append(id(node))
        by_text = {id(t): key for key, t in self.texts.items()}
        self.edges: list[tuple[int, int, Any]] = []  # (입력 노드 id, 출력 노드 id, 화살표)
        for ann in art["edges"]:
            self.edges.append((by_text[id(ann.anncoords)], by_text[id(ann.xycoords)], ann))
        self.caption = fig.text(0.01, 0.02, "", fontsize=10, ha="left", va="bottom", linespacing=1.5)

    def _node_label(self, node: Value, grad: float | None) -> str:
        op = f" [{node._op}]" if node._op else ""
        g = "?" if grad is None else _fmt(grad)
        return f"{node.label}{op}\ndata {_fmt(node.data)}\ngrad {g}"

    def draw(self, *, step: int) -> str | None:  # type: ignore[override]
        step = check_int(step, name="step", minimum=0, maximum=self.n_steps)
        snap = self.snaps[step]
        current = self.ops[step - 2] if step >= 2 else None
        receivers = {id(c) for c in current._prev} if current is not None else set()
        processed = {id(n) for n in self.ops[: max(step - 1, 0)]}
        for node in self.order:
            key = id(node)
            text = self.texts[key]
            text.set_text(self._node_label(node, snap.get(key)))
            complete = key in snap and all(c in processed for c in self.consumers[key])
            if current is not None and key == id(current):
                face = _NOW
            elif key in receivers:
                face = _RECV
            elif complete:
                face = _DONE
            else:
                face = _IDLE
            text.get_bbox_patch().set_facecolor(face)
        for _src, dst, ann in self.edges:
            active = current is not None and dst == id(current)
            ann.arrow_patch.set_color(CLASS_COLORS[1] if active else "0.35")
            ann.arrow_patch.set_linewidth(2.4 if active else 1.0)
        self.caption.set_text(self._caption(step, current))
        return None

    def _caption(self, step: int, current: Value | None) -> str:
        if step == 0:
            return (
                "단계 0: 순전파가 끝났습니다. 모든 노드에 값(data)이 있고 기울기(grad)는 아직 비어 있습니다."
            )
        if current is None:
            return "단계 1: 출발점 ∂L/∂L = 1을 출력 노드 L에 놓습니다."
        g = self.snaps[step - 1].get(id(current), 0.0)
        parts = []
        for child, local in zip(current._prev, current._local):
            parts.append(f"{child.label}.grad += {_paren(local)}×{_paren(g)} = {_fmt(local * g)}")
        name = _OP_NAMES.get(current._op, current._op)
        tail = "  (마지막 단계: 모든 기울기가 채워졌습니다)" if step == self.n_steps else ""
        head = f"단계 {step}: {current.label} ({name}) 노드가 '국소 도함수 × 자기 grad'를 입력 노드에 더합니다{tail}"
        return head + "\n" + ",   ".join(parts)

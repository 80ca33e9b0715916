"""3.3 기울기 소실: 깊이·활성화 함수·초기화에 따른 층별 기울기 노름을 보여 주는 데모."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from d2lutil._checks import as_float_array, as_int_array, check_choice, check_int, check_seed
from d2lutil.layers import Affine, Layer, ReLU, Sequential, Sigmoid, SoftmaxCrossEntropy, Tanh
from d2lutil.widgets import ChoiceParam, Demo, IntParam

__all__ = ["VanishingDemo", "build_deep_mlp", "layer_gradient_norms"]

_ACTIVATIONS: dict[str, type[Layer]] = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU}
_SCHEMES = ("normal", "xavier", "he")


def build_deep_mlp(
    depth: int,
    *,
    width: int = 32,
    in_features: int = 64,
    out_features: int = 10,
    activation: str,
    scheme: str,
    seed: int = 0,
) -> Sequential:
    """은닉층이 ``depth``개인 MLP를 만든다: (Affine → 활성화) × depth → Affine.

    scheme: "normal"(표준편차 0.01), "xavier", "he" — :meth:`d2lutil.layers.Affine.random`과 같다.

    정의된 곳: 3.3 「기울기 소실」
    """
    depth = check_int(depth, name="depth", minimum=1, maximum=100)
    width = check_int(width, name="width", minimum=1, maximum=1024)
    check_choice(activation, tuple(_ACTIVATIONS), name="activation")
    check_choice(scheme, _SCHEMES, name="scheme")
    rng = np.random.default_rng(check_seed(seed))
    sizes = [in_features] + [width] * depth + [out_features]
    layers: list[Layer] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Affine.random(a, b, seed=rng, scheme=scheme))
        if i < depth:
            layers.append(_ACTIVATIONS[activation]())
    return Sequential(layers)


def layer_gradient_norms(model: Sequential, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """교차 엔트로피 손실의 기울기 ‖∂L/∂W_l‖ (프로베니우스 노름)을 입력 쪽 층부터 차례로 돌려준다. 정의된 곳: 3.3 「기울기 소실」"""
    X = as_float_array(X, name="X")
    y = as_int_array(y, name="y")
    loss = SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return np.array([np.linalg.norm(layer.dW) for layer in model.layers if isinstance(layer, Affine)])


class VanishingDemo(Demo):
    """깊이, 활성화 함수, 초기화를 고르면 층마다 가중치 기울기의 크기를 로그 눈금으로 그린다. 정의된 곳: 3.3 「기울기 소실」"""

    params = (
        IntParam("depth", "은닉층 수", 1, 30, 1, default=10, grid=(3, 10, 20)),
        ChoiceParam(
            "activation",
            "활성화 함수",
            (("시그모이드", "sigmoid"), ("tanh", "tanh"), ("ReLU", "relu")),
            default="sigmoid",
        ),
        ChoiceParam(
            "scheme",
            "초기화",
            (("작은 정규분포 (σ = 0.01)", "normal"), ("Xavier", "xavier"), ("He", "he")),
            default="xavier",
        ),
    )
    alt = (
        "가로축은 입력 쪽부터 센 층 번호, 세로축은 그 층 가중치 기울기의 크기(로그 눈금)인 꺾은선 그래프. "
        "시그모이드는 입력 쪽으로 갈수록 선이 급하게 내려가고, ReLU와 He 초기화는 거의 평평하다."
    )
    figsize = (6.4, 3.4)
    layout = "constrained"
    freeze_layout = False  # 정적 프레임마다 배치를 다시 푼다 (살아 있는 위젯은 첫 배치를 고정)

    def setup(self, fig: Figure) -> None:
        from d2lutil.data import load_digits_split

        X_train, _, y_train, _ = load_digits_split(test_size=0.2, seed=0)
        self.X, self.y = X_train[:128], y_train[:128]
        self.ax = fig.add_subplot()
        (self.line,) = self.ax.plot([], [], "o-", color="C0", lw=2)
        self.ax.set_yscale("log")
        self.ax.set_xlabel("층 번호 (입력 쪽 → 출력 쪽)")
        self.ax.set_ylabel("기울기 크기 ‖∂L/∂W‖ (로그 눈금)")
        self.ax.grid(True, which="major", alpha=0.3)
        self.ratio_text = self.ax.text(0.02, 0.04, "", transform=self.ax.transAxes, fontsize=10)

    def draw(self, *, depth: int, activation: str, scheme: str) -> str | None:
        model = build_deep_mlp(depth, activation=activation, scheme=scheme, seed=0)
        norms = layer_gradient_norms(model, self.X, self.y)
        layers = np.arange(1, len(norms) + 1)
        positive = np.where(norms > 0, norms, np.nan)
        self.line.set_data(layers, positive)
        self.ax.set_xlim(0.5, len(norms) + 0.5)
        finite = positive[np.isfinite(positive)]
        lo = finite.min() if finite.size else 1e-3
        hi = finite.max() if finite.size else 1.0
        self.ax.set_ylim(lo / 3, max(hi * 3, lo * 10))
        ratio = norms[0] / norms[-1] if norms[-1] > 0 else 0.0
        self.ratio_text.set_text(f"첫 층 / 마지막 층 = {ratio:.2e}")
        if ratio < 1e-3:
            return "입력 쪽 층의 기울기가 출력 쪽의 1000분의 1보다 작습니다: 기울기 소실입니다."
        if ratio > 1e3:
            return "입력 쪽 층의 기울기가 출력 쪽의 1000배보다 큽니다: 기울기 폭주입니다."
        return None

"""d2lutil.demos.chain_rule: 역전파 단계 넘기기 데모."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import d2lutil
from d2lutil.autograd import Value
from d2lutil.demos.chain_rule import NEURON_INPUTS, BackpropStepperDemo, backward_steps, neuron_graph
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES

LEAVES = ("x1", "w1", "x2", "w2", "b", "t")


def torch_leaf_grads(values: dict[str, float]) -> dict[str, float]:
    """같은 식을 torch float64로 직접 적어 잎 노드의 기울기를 구한다 (d2lutil과 독립)."""
    tv = {k: torch.tensor(values[k], dtype=torch.float64, requires_grad=True) for k in LEAVES}
    z = tv["w1"] * tv["x1"] + tv["w2"] * tv["x2"] + tv["b"]
    loss = (torch.sigmoid(z) - tv["t"]) ** 2
    loss.backward()
    return {k: float(tv[k].grad) for k in LEAVES}


@pytest.fixture(scope="module")
def demo() -> BackpropStepperDemo:
    d2lutil.use_korean_font()
    return BackpropStepperDemo()


finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({k: finite for k in LEAVES}))
def test_last_snapshot_matches_torch(values: dict[str, float]) -> None:
    root, nodes = neuron_graph(values)
    snaps = backward_steps(root)
    expected = torch_leaf_grads(values)
    for k in LEAVES:
        assert snaps[-1][id(nodes[k])] == pytest.approx(expected[k], rel=1e-9, abs=1e-12)


def test_snapshots_follow_value_backward_and_leave_grads_untouched() -> None:
    root, nodes = neuron_graph()
    snaps = backward_steps(root)
    assert all(n.grad == 0.0 for n in nodes.values())  # 흉내만 내고 grad 속성은 건드리지 않는다
    n_ops = sum(1 for n in nodes.values() if n._prev)
    assert len(snaps) == n_ops + 2
    assert snaps[0] == {}
    assert snaps[1] == {id(root): 1.0}
    root.backward()
    for node in nodes.values():
        assert snaps[-1][id(node)] == pytest.approx(node.grad, rel=1e-12)
    # 한 번 들어간 노드는 계속 남고, 단계마다 새 기여가 생긴다
    for before, after in zip(snaps[1:], snaps[2:]):
        assert set(before) <= set(after)
        assert before != after


def test_default_values_are_the_hand_worked_numbers() -> None:
    # z = 0.5·2 + 1.5·(−1) + 0.5 = 0 → a = 0.5 → L = 0.25 (손 계산)
    root, nodes = neuron_graph()
    assert nodes["z"].data == 0.0
    assert nodes["a"].data == 0.5
    assert root.data == 0.25
    assert NEURON_INPUTS["x1"] == 2.0


def test_demo_grid_shows_partial_and_final_grads(demo: BackpropStepperDemo) -> None:
    p = demo.params[0]
    assert p.max == demo.n_steps  # 슬라이더 끝 = 마지막 단계
    assert p.grid_values() == tuple(range(demo.n_steps + 1))
    expected = torch_leaf_grads(NEURON_INPUTS)
    for step in range(demo.n_steps + 1):
        demo.update(step=step)
        assert f"단계 {step}" in demo.caption.get_text()
        texts = {n.label: demo.texts[id(n)].get_text() for n in demo.order}
        if step == 0:
            assert all("grad ?" in t for t in texts.values())
        if step >= 1:
            assert texts["L"].endswith("grad 1")
    for k in LEAVES:
        shown = float(texts[k].rsplit("grad ", 1)[1])
        assert shown == pytest.approx(expected[k], abs=5e-4)


def test_demo_highlights_current_node_and_its_edges(demo: BackpropStepperDemo) -> None:
    demo.update(step=2)  # 첫 연산: L = d**2
    root_face = demo.texts[id(demo.root)].get_bbox_patch().get_facecolor()
    assert root_face != demo.texts[id(demo.nodes["x1"])].get_bbox_patch().get_facecolor()
    widths = {(src, dst): ann.arrow_patch.get_linewidth() for src, dst, ann in demo.edges}
    assert widths[(id(demo.nodes["d"]), id(demo.root))] > 2.0
    assert sum(w > 2.0 for w in widths.values()) == 1
    demo.update(step=0)
    assert all(ann.arrow_patch.get_linewidth() < 2.0 for _, _, ann in demo.edges)


@pytest.mark.parametrize("bad", [-1, 9, 100])
def test_step_out_of_range(demo: BackpropStepperDemo, bad: int) -> None:
    with pytest.raises(ValueError, match="step"):
        demo.update(step=bad)


def test_step_wrong_type(demo: BackpropStepperDemo) -> None:
    with pytest.raises(TypeError, match="step"):
        demo.update(step=1.5)


def test_neuron_graph_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="values"):
        neuron_graph({"w3": 1.0})


def test_backward_steps_rejects_non_value() -> None:
    with pytest.raises(TypeError, match="root"):
        backward_steps(3.0)  # type: ignore[arg-type]
    assert isinstance(neuron_graph()[0], Value)


def test_kernel_free_html_and_speed(demo: BackpropStepperDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html.count("iVBOR") == demo.n_steps + 2  # 프레임 n_steps + 1개 + 처음 보이는 <img>
    times = []
    for step in list(range(demo.n_steps + 1)) * 4:
        t0 = time.perf_counter()
        demo.update(step=step)
        times.append(time.perf_counter() - t0)
    assert float(np.median(times)) < 0.1


def test_warm_prerenders_every_step() -> None:
    # 주석 화살표 때문에 전체를 그려야 하는 그림: 위젯을 띄운 뒤 9단계를 모두 미리 그려 둔다
    fresh = BackpropStepperDemo()
    fresh.warm()
    assert len(fresh._frames) == fresh.n_steps + 1
    fresh.update(step=4)
    assert fresh.render_live() is fresh._frames[fresh._frame_key(fresh.values)]

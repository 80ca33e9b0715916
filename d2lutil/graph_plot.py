"""계산 그래프 그림: 스칼라 자동 미분 값(:class:`d2lutil.autograd.Value`)의 노드와 간선을 축에 그린다.

:mod:`d2lutil.plotting`의 규칙을 따른다: 축을 받아 아티스트를 돌려주고, 새 그림을 만들지 않는다.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from d2lutil._checks import check_axes, check_int

if TYPE_CHECKING:  # pragma: no cover - 타입 검사용
    from matplotlib.axes import Axes

__all__ = ["draw_graph"]


def _graph_nodes(root: Any, max_nodes: int) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """root의 계산 그래프: ``Value.trace()``가 주는 (위상 순서의 노드들, 간선 [(입력, 출력)])."""
    if not callable(getattr(type(root), "trace", None)):
        raise TypeError(
            f"root에는 autograd.Value가 필요합니다: trace()가 없는 {type(root).__name__}를 받았습니다."
        )
    nodes, edges = root.trace()
    if len(nodes) > max_nodes:
        raise ValueError(f"root의 계산 그래프가 너무 큽니다: 노드가 max_nodes={max_nodes}개를 넘습니다.")
    return nodes, edges


def _node_text(node: Any) -> str:
    try:
        data, grad = float(node.data), float(node.grad)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"root의 노드 data/grad를 실수로 바꿀 수 없습니다: {exc}") from None
    label = str(getattr(node, "label", "") or "")
    op = str(getattr(node, "_op", "") or "")
    head = " ".join(s for s in (label, f"[{op}]" if op else "") if s)
    body = f"data {data:.4g}\ngrad {grad:.4g}"
    return f"{head}\n{body}" if head else body


def draw_graph(ax: Axes, root: Any, *, max_nodes: int = 60) -> dict[str, Any]:
    """스칼라 자동 미분 값 root의 계산 그래프를 왼쪽(입력)에서 오른쪽(출력)으로 그린다.

    노드마다 이름·연산·data·grad를 적는다. 열(x 좌표)은 위상 깊이(입력에서 가장 긴 경로의 길이)이다.
    노드와 간선은 ``root.trace()``(:class:`d2lutil.autograd.Value`)에서 얻는다. 같은 입력을 두 번 쓴
    연산(``x * x``)의 화살표는 하나다.
    돌려주는 사전: ``{"nodes": {id(node): Text}, "edges": [Annotation], "positions": {id(node): (x, y)}}``.

    정의된 곳: 3.1 「연쇄 법칙과 계산 그래프」
    """
    check_axes(ax)
    max_nodes = check_int(max_nodes, name="max_nodes", minimum=1)
    if root is None:
        raise TypeError("root에 None이 들어왔습니다: autograd.Value가 필요합니다.")
    nodes, links = _graph_nodes(root, max_nodes)
    depth = {id(node): 0 for node in nodes}
    for src, dst in links:  # 위상 순서이므로 입력의 깊이가 먼저 정해져 있다
        depth[id(dst)] = max(depth[id(dst)], depth[id(src)] + 1)
    columns: dict[int, list[Any]] = {}
    for node in reversed(nodes):  # 출력에서 거꾸로: 한 연산의 입력들이 _prev 순서대로 위에서 아래로 놓인다
        columns.setdefault(depth[id(node)], []).append(node)
    columns = dict(sorted(columns.items()))
    tallest = max(len(col) for col in columns.values())

    positions: dict[int, tuple[float, float]] = {}
    texts: dict[int, Any] = {}
    for d, col in columns.items():
        for i, node in enumerate(col):
            pos = (float(d), (len(col) - 1) / 2.0 - i)
            positions[id(node)] = pos
            is_root = node is root
            texts[id(node)] = ax.text(
                *pos,
                _node_text(node),
                ha="center",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.4", "fc": "#FFE9C7" if is_root else "#E8F1FA", "ec": "0.4"},
                zorder=3,
            )
    edges = [
        ax.annotate(
            "",
            xy=(0.0, 0.5),
            xycoords=texts[id(dst)],
            xytext=(1.0, 0.5),
            textcoords=texts[id(src)],
            arrowprops={"arrowstyle": "->", "color": "0.35", "lw": 1.0},
            zorder=2,
        )
        for src, dst in links
    ]
    ax.set_xlim(-0.6, max(columns) + 0.6)
    ax.set_ylim(-tallest / 2.0, tallest / 2.0)
    ax.set_axis_off()
    return {"nodes": texts, "edges": edges, "positions": positions}

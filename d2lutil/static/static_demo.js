// 커널 없는 데모: 미리 그려 둔 프레임을 범위 입력(range)과 드롭다운으로 넘겨 본다.
// d2lutil/widgets.py의 Demo.kernel_free_html()이 이 파일을 HTML 조각 안에 그대로 넣고,
// 데이터는 같은 조각 안의 JSON 요소(id "…-data", type "application/json")에 둔다:
//   {frames: [PNG base64…], messages: [경고…], labels: [[보이는 값…]…], sizes: [격자 크기…], start: [처음 위치…]}
// 프레임 순서는 파이썬의 itertools.product와 같다: 마지막 매개변수가 가장 빨리 바뀐다.
(function (global) {
  "use strict";

  /** 매개변수마다의 위치 idx를 프레임 번호로 바꾼다 (혼합 기수, 마지막 자리가 가장 빠르다). */
  function frameIndex(idx, sizes) {
    var i = 0;
    for (var k = 0; k < sizes.length; k++) {
      i = i * sizes[k] + idx[k];
    }
    return i;
  }

  /** root(.d2l-demo 요소) 안의 컨트롤을 프레임에 잇는다. */
  function start(root) {
    var uid = root.id;
    var d = JSON.parse(root.querySelector("#" + uid + "-data").textContent);
    var idx = d.start.slice();
    var img = root.querySelector("#" + uid + "-img");
    var msg = root.querySelector("#" + uid + "-msg");
    // 책의 HTML(sphinx-book-theme)에는 커널이 없으므로 '셀을 실행하면' 안내를 숨긴다. Jupyter에서
    // 신뢰하지 않은 노트북은 스크립트를 돌리지 않으므로 안내가 그대로 보인다.
    if (root.closest(".bd-article,.bd-main")) {
      root.querySelector("#" + uid + "-hint").hidden = true;
    }
    function show() {
      var i = frameIndex(idx, d.sizes);
      img.src = "data:image/png;base64," + d.frames[i];
      msg.textContent = d.messages[i];
    }
    root.querySelectorAll("input,select").forEach(function (el) {
      el.addEventListener("input", function () {
        var k = +el.dataset.k;
        idx[k] = +el.value;
        var shown = d.labels[k][idx[k]];
        var out = root.querySelector("#" + el.id + "-out");
        if (out) {
          out.textContent = shown;
        }
        el.setAttribute("aria-valuetext", shown);
        show();
      });
    });
    return { show: show, idx: idx };
  }

  var api = { frameIndex: frameIndex, start: start };
  if (typeof module === "object" && module.exports) {
    module.exports = api; // node --test tests/js
  } else {
    global.d2lStaticDemo = api;
  }
})(this);

"""d2lutil.download: 진짜 HTTP 서버(127.0.0.1, 스레드)를 띄워 내려받기의 성공과 실패를 모두 시험한다."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d2lutil import download as dl
from d2lutil.download import (
    FASHION_MNIST_FILES,
    ChecksumError,
    DownloadError,
    cache_dir,
    download,
    load_fashion_mnist,
    load_idx,
)

TIMEOUT = 0.5


def idx_bytes(array: np.ndarray) -> bytes:
    """numpy uint8 배열을 idx 형식으로 쓴다 (load_idx와 독립적으로, struct로)."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


IMAGES = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5) * 4
LABELS = np.array([7, 0, 9], dtype=np.uint8)
PAYLOAD = gzip.compress(idx_bytes(IMAGES))
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}

    def log_message(self, *args: Any) -> None:  # 시험 출력이 시끄럽지 않게
        pass

    def _send(self, code: int, body: bytes, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server의 이름 규칙
        path = self.path
        try:
            if path == "/missing.gz":
                self._send(404, b"not found")
            elif path == "/error.gz":
                self._send(500, b"boom")
            elif path == "/truncated.gz":
                # 본문보다 큰 Content-Length를 보내고 절반만 쓴 뒤 연결을 닫는다
                self._send(200, PAYLOAD[: len(PAYLOAD) // 2], length=len(PAYLOAD))
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            elif path == "/slow.gz":
                time.sleep(4 * TIMEOUT)
                self._send(200, PAYLOAD)
            elif path == "/slow-body.gz":
                self.send_response(200)
                self.send_header("Content-Length", str(len(PAYLOAD)))
                self.end_headers()
                self.wfile.write(PAYLOAD[:10])
                self.wfile.flush()
                time.sleep(4 * TIMEOUT)
                self.wfile.write(PAYLOAD[10:])
            elif path.lstrip("/") in self.routes:
                self._send(200, self.routes[path.lstrip("/")])
            else:
                self._send(404, b"")
        except OSError:  # 클라이언트가 먼저 끊은 경우
            pass


class Server:
    def __init__(self) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.hits = 0

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    Handler.routes = {"data.idx.gz": PAYLOAD, "corrupt.gz": PAYLOAD[::-1]}
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- 캐시 폴더


def test_cache_dir_default_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("D2LUTIL_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "d2lutil"
    monkeypatch.setenv("D2LUTIL_CACHE", str(tmp_path / "elsewhere"))
    assert cache_dir() == tmp_path / "elsewhere"
    assert not (tmp_path / "elsewhere").exists()  # 묻기만 해서는 만들지 않는다


def test_download_uses_env_cache(server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("D2LUTIL_CACHE", str(tmp_path / "env"))
    path = download(server.url + "data.idx.gz", PAYLOAD_SHA, progress=False)
    assert path == tmp_path / "env" / "data.idx.gz"


# --------------------------------------------------------------------------- 성공과 캐시


def test_download_success_then_cache_reuse_with_server_stopped(server: Server, cache: Path) -> None:
    path = download(server.url + "data.idx.gz", PAYLOAD_SHA, cache_dir=cache, timeout=TIMEOUT)
    assert path == cache / "data.idx.gz"
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(cache) == ["data.idx.gz"]  # 임시 파일이 남지 않는다
    np.testing.assert_array_equal(load_idx(path), IMAGES)
    server.stop()
    again = download(server.url + "data.idx.gz", PAYLOAD_SHA.upper(), cache_dir=str(cache), timeout=TIMEOUT)
    assert again == path


def test_download_replaces_corrupted_cache_file(server: Server, cache: Path) -> None:
    cache.mkdir()
    (cache / "data.idx.gz").write_bytes(b"old and wrong")
    path = download(server.url + "data.idx.gz", PAYLOAD_SHA, cache_dir=cache, progress=False)
    assert path.read_bytes() == PAYLOAD


def test_download_custom_filename(server: Server, cache: Path) -> None:
    path = download(
        server.url + "data.idx.gz", PAYLOAD_SHA, filename="mine.gz", cache_dir=cache, progress=False
    )
    assert path.name == "mine.gz"


# --------------------------------------------------------------------------- 실패: 남는 파일 없이, 무슨 일인지 말한다


@pytest.mark.parametrize(
    ("name", "sha", "exc", "words"),
    [
        ("missing.gz", PAYLOAD_SHA, DownloadError, ["404", "파일이 없습니다"]),
        ("error.gz", PAYLOAD_SHA, DownloadError, ["500"]),
        ("truncated.gz", PAYLOAD_SHA, DownloadError, ["끊겼습니다", str(len(PAYLOAD))]),
        ("corrupt.gz", PAYLOAD_SHA, ChecksumError, ["체크섬", PAYLOAD_SHA]),
        ("data.idx.gz", "0" * 64, ChecksumError, ["체크섬", "0" * 64]),
        ("slow.gz", PAYLOAD_SHA, DownloadError, ["시간 초과"]),
        ("slow-body.gz", PAYLOAD_SHA, DownloadError, ["시간 초과"]),
    ],
    ids=["404", "500", "truncated", "corrupt", "wrong-sha", "timeout-headers", "timeout-body"],
)
def test_download_failures_leave_nothing(
    server: Server, cache: Path, name: str, sha: str, exc: type, words: list[str]
) -> None:
    with pytest.raises(exc) as info:
        download(server.url + name, sha, cache_dir=cache, timeout=TIMEOUT, progress=False)
    message = str(info.value)
    for word in words:
        assert word in message
    assert isinstance(info.value, OSError)
    assert _leftovers(cache) == []


def test_download_offline(cache: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # 아무도 듣지 않는 포트
    with pytest.raises(DownloadError, match="연결할 수 없습니다"):
        download(
            f"http://127.0.0.1:{port}/x.gz", PAYLOAD_SHA, cache_dir=cache, timeout=TIMEOUT, progress=False
        )
    assert _leftovers(cache) == []


def test_download_connect_timeout(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    import urllib.error
    import urllib.request

    def fake_urlopen(*args: Any, **kwargs: Any) -> Any:
        raise urllib.error.URLError(TimeoutError("timed out"))

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(DownloadError, match="시간 초과"):
        download("http://example.invalid/a.gz", PAYLOAD_SHA, cache_dir=cache, progress=False)
    assert _leftovers(cache) == []


def test_download_connection_reset(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    import urllib.request

    def fake_urlopen(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionResetError("reset by peer")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(DownloadError, match="끊겼습니다"):
        download("http://example.invalid/a.gz", PAYLOAD_SHA, cache_dir=cache, progress=False)
    assert _leftovers(cache) == []


def test_incomplete_read_is_reported(cache: Path) -> None:
    import http.client
    import io

    class Broken:
        def read(self, n: int) -> bytes:
            raise http.client.IncompleteRead(b"abc", 10)

    with pytest.raises(DownloadError, match="3바이트"):
        dl._stream(Broken(), io.BytesIO(), 13, "x", False)  # type: ignore[arg-type]


def test_unwritable_cache_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DownloadError, match="캐시 폴더"):
        download("http://127.0.0.1:9/a.gz", PAYLOAD_SHA, cache_dir=blocker / "sub", progress=False)


def test_mkstemp_failure(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    import tempfile

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(DownloadError, match="쓸 수 없습니다"):
        download("http://127.0.0.1:9/a.gz", PAYLOAD_SHA, cache_dir=cache, progress=False)


# --------------------------------------------------------------------------- 인자 검사


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"url": None}, TypeError, "url"),
        ({"url": "ftp://x/a.gz"}, ValueError, "url"),
        ({"url": "a.gz"}, ValueError, "url"),
        ({"url": "http:///a.gz"}, ValueError, "url"),
        ({"url": "http://h/"}, ValueError, "filename"),
        ({"sha256": None}, TypeError, "sha256"),
        ({"sha256": "abc"}, ValueError, "sha256"),
        ({"sha256": "g" * 64}, ValueError, "sha256"),
        ({"filename": "../x"}, ValueError, "filename"),
        ({"filename": ".."}, ValueError, "filename"),
        ({"filename": 3}, TypeError, "filename"),
        ({"cache_dir": 3}, TypeError, "cache_dir"),
        ({"cache_dir": " "}, ValueError, "cache_dir"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": -1.0}, ValueError, "timeout"),
        ({"timeout": float("inf")}, ValueError, "timeout"),
        ({"timeout": "1"}, TypeError, "timeout"),
        ({"progress": "yes"}, TypeError, "progress"),
    ],
)
def test_download_bad_arguments(kwargs: dict[str, Any], exc: type, word: str, tmp_path: Path) -> None:
    args: dict[str, Any] = {"url": "http://127.0.0.1:9/a.gz", "sha256": PAYLOAD_SHA, "cache_dir": tmp_path}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        download(args.pop("url"), args.pop("sha256"), **args)


# --------------------------------------------------------------------------- idx 읽기와 Fashion-MNIST


def test_load_idx_plain_and_other_dtypes(tmp_path: Path) -> None:
    plain = tmp_path / "labels.idx"
    plain.write_bytes(idx_bytes(LABELS))
    np.testing.assert_array_equal(load_idx(plain), LABELS)
    # 큰 끝 int32 배열 (자료형 코드 0x0C)
    values = np.array([[1, -2], [300000, 4]], dtype=">i4")
    raw = struct.pack(">BBBB", 0, 0, 0x0C, 2) + struct.pack(">2I", 2, 2) + values.tobytes()
    (tmp_path / "ints.idx").write_bytes(raw)
    out = load_idx(tmp_path / "ints.idx")
    np.testing.assert_array_equal(out, values.astype(np.int32))
    assert out.dtype.isnative


@pytest.mark.parametrize(
    ("content", "word"),
    [
        (b"\x01\x00\x08\x01", "idx 형식"),
        (b"\x00", "idx 형식"),
        (b"\x00\x00\x08\x02\x00\x00", "잘렸습니다"),
        (struct.pack(">BBBBI", 0, 0, 8, 1, 5) + b"abc", "크기"),
    ],
)
def test_load_idx_rejects_bad_files(tmp_path: Path, content: bytes, word: str) -> None:
    path = tmp_path / "bad.idx"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=word):
        load_idx(path)


def test_load_idx_bad_gzip_and_type(tmp_path: Path) -> None:
    path = tmp_path / "bad.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="path"):
        load_idx(path)
    with pytest.raises(ValueError, match="path"):
        load_idx(tmp_path / "absent.idx")
    with pytest.raises(TypeError, match="path"):
        load_idx(3)  # type: ignore[arg-type]


def test_load_fashion_mnist_from_local_server(server: Server, cache: Path) -> None:
    train_x = np.full((2, 28, 28), 255, dtype=np.uint8)
    test_x = np.zeros((1, 28, 28), dtype=np.uint8)
    files = {
        "train-images-idx3-ubyte.gz": gzip.compress(idx_bytes(train_x)),
        "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(np.array([3, 9], dtype=np.uint8))),
        "t10k-images-idx3-ubyte.gz": gzip.compress(idx_bytes(test_x)),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(np.array([1], dtype=np.uint8))),
    }
    Handler.routes = dict(files)
    sums = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    X_tr, y_tr, X_te, y_te = load_fashion_mnist(
        cache, base_url=server.url.rstrip("/"), files=sums, progress=False
    )
    assert X_tr.shape == (2, 28, 28) and X_tr.dtype == np.float32 and float(X_tr.max()) == 1.0
    assert y_tr.tolist() == [3, 9] and y_tr.dtype == np.int64
    assert X_te.shape == (1, 28, 28) and float(X_te.max()) == 0.0 and y_te.tolist() == [1]
    assert sorted(_leftovers(cache)) == sorted(files)


def test_load_fashion_mnist_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="files"):
        load_fashion_mnist(tmp_path, files={"a": "b"})
    with pytest.raises(ValueError, match="url"):
        load_fashion_mnist(tmp_path, base_url="nope")


def test_fashion_mnist_table_is_well_formed() -> None:
    assert len(FASHION_MNIST_FILES) == 4
    for name, sha in FASHION_MNIST_FILES.items():
        assert name.endswith("-ubyte.gz")
        assert len(sha) == 64 and int(sha, 16) >= 0
    assert dl.FASHION_MNIST_URL.startswith("http")


# --------------------------------------------------------------------------- 무작위 잡동사니 (네트워크에 닿기 전에 거절)

JUNK = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=80, deadline=None)
@given(junk=JUNK)
def test_fuzz_download_raises_only_value_or_type_error(
    junk: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    calls: list[Callable[[], Any]] = [
        lambda: download(junk, "zz", cache_dir=folder),  # 체크섬이 틀려 네트워크 전에 멈춘다
        lambda: download("http://127.0.0.1:9/a.gz", junk, cache_dir=folder, timeout=-1),
        lambda: download("http://127.0.0.1:9/a.gz", "z", filename=junk, cache_dir=folder),
        lambda: (
            download("http://127.0.0.1:9/a.gz", "0" * 64, cache_dir=folder, timeout=junk)
            if not isinstance(junk, (int, float)) or isinstance(junk, bool) or not 0 < junk < float("inf")
            else None
        ),
        lambda: download("http://127.0.0.1:9/a.gz", "z", cache_dir=junk),
        lambda: load_idx(junk) if not isinstance(junk, str) else None,
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError):
            pass

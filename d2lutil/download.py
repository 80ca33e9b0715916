"""선택 데이터(Fashion-MNIST 등)를 내려받아 캐시하는 작은 다운로더.

- 캐시 폴더: 인자 ``cache_dir`` > 환경 변수 ``D2LUTIL_CACHE`` > ``~/.cache/d2lutil``.
- 내려받은 파일은 SHA-256으로 확인한다. 캐시에 맞는 파일이 있으면 네트워크를 쓰지 않는다.
- 원자적 쓰기: 캐시 폴더 안의 임시 파일에 받은 뒤 확인이 끝나면 ``os.replace``로 제자리에 놓는다.
  그래서 실패(오프라인, 404, 500, 끊긴 전송, 체크섬 불일치, 시간 초과)가 나도 반쪽짜리 파일이 남지 않는다.
- 실패는 ``DownloadError``(``OSError``의 하위 클래스)로, 무슨 일이 났는지 한국어로 알린다.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import os
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import numpy as np

from d2lutil._checks import check_positive

__all__ = [
    "DownloadError",
    "ChecksumError",
    "cache_dir",
    "download",
    "load_idx",
    "load_fashion_mnist",
    "FASHION_MNIST_URL",
    "FASHION_MNIST_FILES",
]

ENV_VAR = "D2LUTIL_CACHE"
_CHUNK = 1 << 16

FASHION_MNIST_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"

#: Fashion-MNIST 파일 이름 → SHA-256.
#: 내려받아 직접 확인한 값이 아니다(이 환경에는 네트워크가 없다). 서로 독립된 공개 코드 두 곳
#: (Britefury/batchup의 FashionMNIST 정의, Connor Olding의 mnists 스크립트)에 같은 값이 적혀 있다.
FASHION_MNIST_FILES: Mapping[str, str] = MappingProxyType(
    {
        "train-images-idx3-ubyte.gz": "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        "train-labels-idx1-ubyte.gz": "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        "t10k-images-idx3-ubyte.gz": "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        "t10k-labels-idx1-ubyte.gz": "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    }
)


class DownloadError(OSError):
    """내려받기가 실패했다 (네트워크, HTTP 상태, 끊긴 전송, 시간 초과, 파일 쓰기)."""


class ChecksumError(DownloadError):
    """내려받은 파일의 SHA-256이 기대한 값과 다르다."""


# --------------------------------------------------------------------------- 캐시 폴더


def _resolve_cache_dir(path: Any) -> Path:
    if path is None:
        env = os.environ.get(ENV_VAR, "").strip()
        return Path(env).expanduser() if env else Path.home() / ".cache" / "d2lutil"
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"cache_dir은(는) 경로(str 또는 Path)여야 합니다: {type(path).__name__}를 받았습니다."
        )
    if str(path).strip() == "":
        raise ValueError("cache_dir이(가) 빈 문자열입니다: 폴더 경로를 주세요.")
    return Path(path).expanduser()


def cache_dir() -> Path:
    """기본 캐시 폴더: 환경 변수 D2LUTIL_CACHE가 있으면 그것, 없으면 ~/.cache/d2lutil (만들지는 않는다)."""
    return _resolve_cache_dir(None)


# --------------------------------------------------------------------------- 검사


def _check_url(url: Any) -> str:
    if not isinstance(url, str):
        raise TypeError(f"url은(는) 문자열이어야 합니다: {type(url).__name__}를 받았습니다.")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"url은(는) http:// 또는 https://로 시작하는 주소여야 합니다: {url!r}를 받았습니다.")
    return url


def _check_sha256(sha256: Any) -> str:
    if not isinstance(sha256, str):
        raise TypeError(f"sha256은(는) 16진수 문자열이어야 합니다: {type(sha256).__name__}를 받았습니다.")
    digest = sha256.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"sha256은(는) 16진수 64자여야 합니다: {sha256!r}를 받았습니다.")
    return digest


def _check_filename(filename: Any, url: str) -> str:
    if filename is None:
        filename = Path(urllib.parse.urlsplit(url).path).name
        if not filename:
            raise ValueError(f"url {url!r}에서 파일 이름을 알 수 없습니다: filename을 직접 주세요.")
    if not isinstance(filename, str):
        raise TypeError(f"filename은(는) 문자열이어야 합니다: {type(filename).__name__}를 받았습니다.")
    if filename in ("", ".", "..") or "/" in filename or "\\" in filename or "\0" in filename:
        raise ValueError(
            f"filename은(는) 폴더 구분자가 없는 파일 이름이어야 합니다: {filename!r}를 받았습니다."
        )
    return filename


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- 내려받기


def _stream(response: IO[bytes], out: IO[bytes], total: int | None, desc: str, progress: bool) -> str:
    """응답을 out에 쓰면서 SHA-256을 계산한다. 받은 바이트가 Content-Length보다 적으면 실패."""
    from tqdm.auto import tqdm

    h = hashlib.sha256()
    received = 0
    with tqdm(total=total, unit="B", unit_scale=True, desc=desc, disable=not progress, leave=False) as bar:
        while True:
            try:
                chunk = response.read(_CHUNK)
            except http.client.IncompleteRead as exc:
                chunk = exc.partial
                received += len(chunk)
                raise DownloadError(
                    f"전송이 중간에 끊겼습니다: {total}바이트 가운데 {received}바이트만 받았습니다."
                ) from None
            if not chunk:
                break
            out.write(chunk)
            h.update(chunk)
            received += len(chunk)
            bar.update(len(chunk))
    if total is not None and received < total:
        raise DownloadError(f"전송이 중간에 끊겼습니다: {total}바이트 가운데 {received}바이트만 받았습니다.")
    return h.hexdigest()


def download(
    url: str,
    sha256: str,
    *,
    filename: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    timeout: float = 30.0,
    progress: bool = True,
) -> Path:
    """url의 파일을 캐시 폴더에 내려받고 SHA-256을 확인한 뒤 그 경로를 돌려준다.

    캐시에 체크섬이 맞는 파일이 이미 있으면 네트워크를 쓰지 않고 바로 돌려준다(체크섬이 틀린
    파일은 다시 받는다). 실패하면 ``DownloadError``(체크섬이면 ``ChecksumError``)를 던지고,
    캐시 폴더에는 아무 파일도 남기지 않는다.
    """
    url = _check_url(url)
    digest = _check_sha256(sha256)
    filename = _check_filename(filename, url)
    folder = _resolve_cache_dir(cache_dir)
    timeout = check_positive(timeout, name="timeout")
    if not isinstance(progress, bool):
        raise TypeError(f"progress는 True 또는 False여야 합니다: {progress!r}를 받았습니다.")

    target = folder / filename
    if target.is_file() and _sha256_of(target) == digest:
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"캐시 폴더 {folder}를 만들 수 없습니다: {exc}") from exc

    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{filename}.", suffix=".part")
    except OSError as exc:
        raise DownloadError(f"캐시 폴더 {folder}에 파일을 쓸 수 없습니다: {exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                    got = _stream(response, out, total, filename, progress)
            except urllib.error.HTTPError as exc:
                raise DownloadError(
                    f"{url}을(를) 받지 못했습니다: 서버가 HTTP {exc.code} {exc.reason}을(를) 돌려주었습니다"
                    + (" (파일이 없습니다)." if exc.code == 404 else ".")
                ) from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                    raise DownloadError(f"{url}에 연결하다 시간 초과({timeout}초)가 났습니다.") from None
                raise DownloadError(
                    f"{url}에 연결할 수 없습니다 (오프라인이거나 주소가 틀렸을 수 있습니다): {exc.reason}"
                ) from None
            except TimeoutError:
                raise DownloadError(f"{url}을(를) 받다가 시간 초과({timeout}초)가 났습니다.") from None
            except (ConnectionError, http.client.HTTPException) as exc:
                raise DownloadError(f"{url}을(를) 받다가 연결이 끊겼습니다: {exc}") from None
        if got != digest:
            raise ChecksumError(
                f"{filename}의 체크섬(SHA-256)이 맞지 않습니다: {digest}를 기대했지만 {got}를 받았습니다. "
                "파일이 손상되었거나 서버의 파일이 바뀌었습니다."
            )
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


# --------------------------------------------------------------------------- idx 파일 읽기

_IDX_DTYPES: dict[int, str] = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """(gzip으로 압축된) idx 파일을 numpy 배열로 읽는다. MNIST 계열 데이터의 형식이다.

    머리: 0x00 0x00, 자료형 코드 1바이트, 차원 수 1바이트, 그다음 차원마다 큰 끝(big-endian) 4바이트 정수.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path는 경로여야 합니다: {type(path).__name__}를 받았습니다.")
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise ValueError(f"path {str(path)!r}를 idx 파일로 읽을 수 없습니다: {exc}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"path {str(path)!r}는 idx 형식이 아닙니다: 머리의 마법 수가 맞지 않습니다.")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"path {str(path)!r}의 idx 머리가 잘렸습니다.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"path {str(path)!r}의 크기가 머리와 맞지 않습니다: 모양 {shape}이면 {expected}바이트여야 하지만 "
            f"{len(raw) - header}바이트입니다."
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def load_fashion_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    base_url: str = FASHION_MNIST_URL,
    files: Mapping[str, str] = FASHION_MNIST_FILES,
    timeout: float = 30.0,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fashion-MNIST를 (필요하면 내려받아) 읽는다: ``(X_train, y_train, X_test, y_test)``.

    X는 (n, 28, 28) float32로 [0, 1] 범위(밝기/255), y는 0–9 int64. 훈련 60,000장, 시험 10,000장.
    네트워크가 없으면 ``DownloadError``가 난다 — 책은 이 절을 건너뛴다.
    base_url과 files(파일 이름 → SHA-256)는 거울 서버나 시험용 서버를 쓸 때만 바꾼다.
    """
    _check_url(base_url)
    base = base_url if base_url.endswith("/") else base_url + "/"
    if not isinstance(files, Mapping) or set(files) != set(FASHION_MNIST_FILES):
        raise ValueError(f"files는 {sorted(FASHION_MNIST_FILES)}를 키로 가진 사전이어야 합니다.")
    paths = {
        name: download(base + name, sha, cache_dir=cache_dir, timeout=timeout, progress=progress)
        for name, sha in files.items()
    }

    def images(name: str) -> np.ndarray:
        return load_idx(paths[name]).astype(np.float32) / 255.0

    def labels(name: str) -> np.ndarray:
        return load_idx(paths[name]).astype(np.int64)

    return (
        images("train-images-idx3-ubyte.gz"),
        labels("train-labels-idx1-ubyte.gz"),
        images("t10k-images-idx3-ubyte.gz"),
        labels("t10k-labels-idx1-ubyte.gz"),
    )

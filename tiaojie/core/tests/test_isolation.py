"""Work run under limits in a child process: its result comes back, a runaway is stopped with a
message for the user, and the calling process carries on (issue 16, hole 6)."""

from __future__ import annotations

import os
import signal

import pytest
from django.utils import translation

from tiaojie.core.isolation import LimitExceeded, Limits, RemoteTraceback, run_limited

GENEROUS = Limits(seconds=120, memory_mb=512)


def _double(value: int) -> int:
    return value * 2


def _pid() -> int:
    return os.getpid()


def _spin() -> None:
    while True:
        pass


def _hog() -> bytes:
    return bytes(2 * 1024 * 1024 * 1024)  # 2 GB, far past the limit below


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _fails_oddly_when_full() -> None:
    hoard = []
    try:
        while True:
            hoard.append(bytearray(1024 * 1024))
    except MemoryError:
        # As cffi does when it cannot allocate: an error that does not say memory.
        raise SystemError("error return without exception set") from None


def _fail() -> None:
    raise ValueError("no such template")


def _counting(steps: int, progress: object) -> str:
    for step in range(steps):
        progress(step * 10)  # type: ignore[operator]
    return "done"


def test_the_result_comes_back_from_another_process() -> None:
    assert run_limited(_double, 21, limits=GENEROUS, what="x") == 42
    assert run_limited(_pid, limits=GENEROUS, what="x") != os.getpid()


def test_work_that_runs_past_the_time_limit_is_stopped_and_said_so_in_chinese() -> None:
    with translation.override("zh-hans"), pytest.raises(LimitExceeded) as stopped:
        run_limited(_spin, limits=Limits(seconds=1, memory_mb=512), what="文书")
    assert stopped.value.code == "render_time"
    assert stopped.value.limit == "time"
    assert stopped.value.message == "文书生成超时（超过 1 秒），已停止。请缩短内容后重试。"
    assert run_limited(_double, 2, limits=GENEROUS, what="x") == 4  # this process carries on


def test_work_that_needs_more_memory_than_allowed_is_stopped() -> None:
    with translation.override("zh-hans"), pytest.raises(LimitExceeded) as stopped:
        run_limited(_hog, limits=Limits(seconds=60, memory_mb=64), what="文书")
    assert stopped.value.code == "render_memory"
    assert stopped.value.message == "文书生成超出内存限制（64 MB），已停止。请缩短内容后重试。"
    assert stopped.value.status == 422


def test_a_child_that_dies_without_answering_counts_as_out_of_memory() -> None:
    # A C library that cannot allocate aborts or crashes rather than raising MemoryError.
    with pytest.raises(LimitExceeded) as stopped:
        run_limited(_crash, limits=GENEROUS, what="x")
    assert stopped.value.limit == "memory"


def test_an_error_raised_at_the_memory_limit_counts_as_out_of_memory() -> None:
    with pytest.raises(LimitExceeded) as stopped:
        run_limited(_fails_oddly_when_full, limits=Limits(seconds=60, memory_mb=64), what="x")
    assert stopped.value.limit == "memory"


def test_an_ordinary_error_stays_itself_with_the_childs_traceback() -> None:
    with pytest.raises(ValueError, match="no such template") as raised:
        run_limited(_fail, limits=GENEROUS, what="x")
    assert isinstance(raised.value.__cause__, RemoteTraceback)
    assert "_fail" in str(raised.value.__cause__)


def test_progress_is_reported_in_the_calling_process() -> None:
    seen: list[tuple[int, int]] = []
    result = run_limited(
        _counting,
        3,
        limits=GENEROUS,
        what="x",
        progress=lambda percent: seen.append((os.getpid(), percent)),
    )
    assert result == "done"
    assert seen == [(os.getpid(), 0), (os.getpid(), 10), (os.getpid(), 20)]

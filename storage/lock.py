"""The writers' lock: an exclusive flock on ``zhenggai.json.lock`` in the database folder.

The lock file is opened through the checked folder descriptor without following
a symlink (safedir.py) and given the database's mode by descriptor. flock does
not hold on NFS: keep the database on a local disk.
"""

from __future__ import annotations

import fcntl
import os
import time

from .errors import StorageError
from .files import os_error_message
from .safedir import SafeDir, keep_mode


class FileLock:
    """An exclusive flock on a lock file in the database folder (local disks only)."""

    def __init__(self, path: str, mode: int, timeout: float = 15.0, folder: SafeDir | None = None):
        self.path, self.mode, self.timeout = path, mode, timeout
        self._own = folder is None  # a folder opened here is closed with the lock
        self.folder = folder or SafeDir(os.path.dirname(os.path.abspath(path)))
        self._fd: int | None = None

    def acquire(self) -> None:
        name = os.path.basename(self.path)
        try:
            fd = self.folder.open(name, os.O_RDWR | os.O_CREAT, self.mode, what="锁定数据库")
        except FileNotFoundError as e:
            self._close_folder()
            raise StorageError(os_error_message(e, "锁定数据库", self.path)) from None
        except BaseException:
            self._close_folder()
            raise
        keep_mode(fd, self.mode)
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    self._close_folder()
                    raise StorageError("数据库正被其他用户长时间占用，请稍后再试。") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.005)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None
                self._close_folder()

    def _close_folder(self) -> None:
        if self._own:
            self.folder.close()

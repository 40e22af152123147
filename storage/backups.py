"""Backups: ``zhenggai.backups/<YYYYMMDD-HHMMSS-micro>-<reason>/``, one folder per backup.

Each holds the shard files gzip-compressed and a MANIFEST.json of their sizes and
SHA-256 (backup_write.py: built in a temp folder, fsynced, renamed, so a backup under
its final name is whole and a crash leaves at most a temp folder, which the next save
removes). ``verify`` checks a backup against its manifest (the stored files' sizes when
``quick``; their SHA-256 otherwise, and gzip's own CRC guards the content inside);
backups of an older version (uncompressed copies, with or without a manifest) are
verified as before. A broken daily backup is made again. Folders get the database's
group access (and keep the setgid bit of a team folder), so colleagues can read and
rotate each other's backups.

The daily backup is of the files as they were before the day's first save: the save
takes a snapshot of them under the lock (open descriptors), commits, and the backup is
compressed from the snapshot in a thread afterwards (``start``); the process waits for it
before it exits, and ``wait`` waits for it in the process.
"""

from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import threading
from typing import Callable

import orjson

from . import files
from .backup_write import Pending, Snapshot, build
from .dates import today
from .errors import StorageError, UnsafePathError
from .safedir import SafeDir

BACKUP_KEEP = {"daily": 14, "migrate": 5, "import": 10, "manual": 10, "restore": 5}
MANIFEST = "MANIFEST.json"
# ZHENGGAI_BACKUP_IN_THREAD=0 makes the day's backup in the saving thread, after the commit
# all the same (tests/test_storage_faults.py: strace counts system calls per thread).
IN_THREAD = os.environ.get("ZHENGGAI_BACKUP_IN_THREAD", "1") != "0"


class Backups:
    def __init__(self, folder: SafeDir, name: str, sources: Callable[[], list[str]], mode: Callable[[], int]) -> None:
        self.folder = folder  # the database folder
        self.name = name
        self.sources = sources  # the shard file names
        self.mode = mode  # the database's file mode (0600 or 0660)
        self.pending: list[threading.Thread] = []  # backups being made by this process

    @property
    def dir(self) -> SafeDir:
        """The backups folder, opened afresh (it may have been removed and made again)."""
        return self.folder.sub(self.name)

    @property
    def path(self) -> str:
        return self.folder.join(self.name)

    def dmode(self) -> int:
        return 0o770 if self.mode() & 0o060 else 0o700

    # ------------------------------------------------------------ listing

    def names(self) -> list[str]:
        """The backups' folder names, oldest first (temp folders left out)."""
        if self.folder.lstat(self.name) is None:
            return []
        self.folder.refuse_odd(self.name)
        return sorted(n for n in self.dir.listdir() if not n.startswith("."))

    def list(self) -> list[str]:
        return [os.path.join(self.path, n) for n in self.names()]

    # ------------------------------------------------------------ making one

    def snapshot(self) -> Snapshot | None:
        """The shard files as they are now (call under the database lock); None without any."""
        snap = Snapshot(self.folder, [n for n in self.sources() if self.folder.lstat(n) is not None])
        return snap if snap.files else None

    def make(self, reason: str, user: str, snap: Snapshot | None = None) -> str | None:
        """A new backup of ``snap`` (by default: the files now, under the lock); its path, or
        None when there is nothing to back up. Rotates the backups of the same reason."""
        snap = snap or self.snapshot()
        if snap is None:
            return None
        try:
            pending = Pending(self, self._final(reason))
            path = build(pending, snap, reason, user)
        finally:
            snap.close()
        self.rotate(reason)
        return path

    @staticmethod
    def _final(reason: str) -> str:
        return today().strftime("%Y%m%d") + _dt.datetime.now().strftime("-%H%M%S-%f") + f"-{reason}"

    def start(self, snap: Snapshot, reason: str, user: str, lock: Callable[[], object]) -> None:
        """Make the backup of ``snap`` in a thread (the process waits for it before exiting).
        Call under the database lock: the temp folder is made and locked here, so that no
        sweep can take it for a dead one. The rotation takes ``lock`` (the database's)."""
        try:
            pending = Pending(self, self._final(reason))  # named for the snapshot's day, whenever it runs
        except StorageError:
            snap.close()
            return

        def work() -> None:
            try:
                try:
                    build(pending, snap, reason, user)
                finally:
                    snap.close()
                held = lock()
                try:
                    self.rotate(reason)
                finally:
                    held.release()  # type: ignore[attr-defined]
            except (StorageError, OSError):
                pass  # a failed backup never stops work; the next save makes it again

        if not IN_THREAD:
            work()
            return
        t = threading.Thread(target=work, name=f"zhenggai-backup-{pending.final}", daemon=False)
        self.pending = [p for p in self.pending if p.is_alive()] + [t]
        t.start()

    def wait(self) -> None:
        """Until the backups started in this process are made."""
        for t in self.pending:
            t.join()
        self.pending = []

    def remove(self, name: str, where: SafeDir | None = None) -> bool:
        where = where or self.dir
        fd = where.fd()
        if fd is None:
            return False
        try:
            shutil.rmtree(name, dir_fd=fd)
            return True
        except OSError:
            return False

    # ------------------------------------------------------------ checking one

    def verify(self, name: str, quick: bool = False) -> str | None:
        """Why the backup ``name`` is not usable, or None when it is whole."""
        bdir = self.dir
        st = bdir.lstat(name)
        if st is None:
            return "不存在"
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            return "不是文件夹（可能是他人放置的符号链接）"
        sub = bdir.sub(name)
        try:
            got = sub.read(MANIFEST)
            if got is None:
                return self._verify_old(sub)
            try:
                manifest = orjson.loads(got[0])
                listed = manifest["files"]
                assert isinstance(listed, dict) and listed
            except (orjson.JSONDecodeError, KeyError, TypeError, AssertionError):
                return "清单文件 MANIFEST.json 已损坏"
            for fname, want in listed.items():
                if os.sep in fname or fname.startswith("."):
                    return f"清单中有不该有的文件名 {fname}"
                problem = self._verify_file(sub, fname, want, quick)
                if problem:
                    return problem
            return None
        except UnsafePathError as e:
            return f"{e.path} 不安全：{e.reason}"
        except StorageError as e:
            return str(e)
        finally:
            sub.close()

    @staticmethod
    def _verify_file(sub: SafeDir, fname: str, want: dict[str, object], quick: bool) -> str | None:
        """One file of the manifest: the .gz as stored (format 2) or the copy (format 1)."""
        stored = want.get("stored")
        if stored is not None and (not isinstance(stored, str) or os.sep in stored or stored.startswith(".")):
            return f"清单中有不该有的文件名 {stored}"
        name = stored or fname
        size, digest = (want.get("stored_size"), want.get("stored_sha256")) if stored else (want.get("size"), want.get("sha256"))
        try:
            fd = sub.open(name, os.O_RDONLY)
        except FileNotFoundError:
            return f"缺少文件 {name}"
        try:
            if os.fstat(fd).st_size != size:
                return f"{name} 的大小与清单不符（文件不完整）"
            if quick:
                return None
            h = hashlib.sha256()
            while chunk := os.read(fd, 1 << 20):
                h.update(chunk)
            if h.hexdigest() != digest:
                return f"{name} 的内容与清单中的校验值不符"
            return None
        finally:
            os.close(fd)

    def _verify_old(self, sub: SafeDir) -> str | None:
        """A backup made before manifests: usable when each of its files parses."""
        names = [n for n in sub.listdir() if n.endswith(".json") and not n.endswith(".index.json")]
        if not names:
            return "没有数据文件"
        for n in names:
            got = sub.read(n)
            if got is None or not got[0].strip():
                return f"{n} 为空（备份不完整）"
            try:
                files.parse(got[0], sub.join(n))
            except Exception:
                return f"{n} 无法解析（备份不完整或已损坏）"
        return None

    # ------------------------------------------------------------ rotation and the daily one

    def rotate(self, reason: str) -> None:
        keep = BACKUP_KEEP.get(reason, 10)
        mine = [n for n in self.names() if n.endswith("-" + reason)]
        bdir = self.dir
        for old in mine[:-keep]:
            bdir.refuse_odd(old)
            self.remove(old, bdir)

    def sweep(self) -> None:
        """Remove temp folders of backups whose maker died (call under the lock). One that
        is being made (its maker holds an flock on it: a daily backup in another process's
        thread) is left alone."""
        if self.folder.lstat(self.name) is None:
            return
        bdir = self.dir
        for n in bdir.listdir():
            if n.startswith(".") and n.endswith(".tmp"):
                bdir.refuse_odd(n)
                if not self._in_progress(bdir, n):
                    self.remove(n, bdir)

    @staticmethod
    def _in_progress(bdir: SafeDir, name: str) -> bool:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=bdir.require())
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except OSError as e:
            return e.errno in (errno.EWOULDBLOCK, errno.EAGAIN)
        finally:
            os.close(fd)  # (and with it the flock just taken)

    def daily_due(self) -> bool:
        """Whether today still needs its daily backup (call under the lock): none of today's
        is whole, and none is being made (in this process or, in a temp folder, another).
        Broken ones of today are removed: the next one replaces them."""
        day = today().strftime("%Y%m%d")
        if any(t.is_alive() and t.name.startswith(f"zhenggai-backup-{day}") and t.name.endswith("-daily")
               for t in self.pending):
            return False
        if self.folder.lstat(self.name) is None:
            return True
        bdir = self.dir
        listing = bdir.listdir()
        if any(n.startswith(f".{day}") and n.endswith(".tmp") and "-daily." in n and self._in_progress(bdir, n)
               for n in listing):
            return False
        todays = sorted(n for n in listing if n.startswith(day) and n.endswith("-daily"))
        if any(self.verify(n, quick=True) is None for n in todays):
            return False
        for n in todays:
            bdir.refuse_odd(n)
            self.remove(n, bdir)
        return True

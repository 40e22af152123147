"""Backups: ``zhenggai.backups/<YYYYMMDD-HHMMSS-micro>-<reason>/``, one folder per backup.

A backup is built in a temp folder (``.<name>.<random>.tmp``) inside the
backups folder: each shard copied from a descriptor opened without following
symlinks, hashed on the way, fsynced; then a MANIFEST.json with each file's
size and SHA-256, fsynced; then the folder is fsynced and renamed to its final
name, and the backups folder fsynced. So a backup under its final name is
whole, and a crash leaves at most a temp folder, which the next save removes.
``verify`` checks a backup against its manifest (sizes only when ``quick``);
a broken daily backup is made again. Folders get the database's group access
(and keep the setgid bit of a team folder), so colleagues can read and rotate
each other's backups.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import shutil
import stat
from typing import Callable

import orjson

from . import faults, files
from .dates import now_iso, today
from .errors import StorageError, UnsafePathError
from .files import os_error_message
from .safedir import SafeDir, keep_mode, write_all

BACKUP_KEEP = {"daily": 14, "migrate": 5, "import": 10, "manual": 10, "restore": 5}
MANIFEST = "MANIFEST.json"


class Backups:
    def __init__(self, folder: SafeDir, name: str, sources: Callable[[], list[str]], mode: Callable[[], int]) -> None:
        self.folder = folder  # the database folder
        self.name = name
        self.sources = sources  # the shard file names
        self.mode = mode  # the database's file mode (0600 or 0660)

    @property
    def dir(self) -> SafeDir:
        """The backups folder, opened afresh (it may have been removed and made again)."""
        return self.folder.sub(self.name)

    @property
    def path(self) -> str:
        return self.folder.join(self.name)

    def _dmode(self) -> int:
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

    def make(self, reason: str, user: str) -> str | None:
        """Copy the current shard files into a new backup; its path, or None when there is
        nothing to back up. Call under the database lock."""
        sources = [n for n in self.sources() if self.folder.lstat(n) is not None]
        if not sources:
            return None
        final = today().strftime("%Y%m%d") + _dt.datetime.now().strftime("-%H%M%S-%f") + f"-{reason}"
        where = os.path.join(self.path, final)
        dmode = self._dmode()
        bdir = self.folder.make_dir(self.name, dmode)
        tmp = bdir.temp_name(final)
        try:
            tdir = bdir.make_dir(tmp, dmode, where=where)
            manifest: dict[str, dict[str, object]] = {}
            for src in sources:
                manifest[src] = self._copy(src, tdir)
            body = orjson.dumps({"format": 1, "reason": reason, "created": now_iso(), "user": user, "files": manifest},
                                option=orjson.OPT_INDENT_2)
            fd = tdir.open(MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, what="备份", where=where)
            try:
                write_all(fd, body)
                keep_mode(fd, self.mode() & 0o660 or 0o600)
                os.fsync(fd)
            finally:
                os.close(fd)
            tdir.fsync()
            tdir.close()
            faults.point("backup-synced")
            bdir.rename(tmp, final)
            bdir.fsync()
        except UnsafePathError:
            self._remove(tmp, bdir)
            raise
        except (OSError, StorageError) as e:
            self._remove(tmp, bdir)
            if isinstance(e, StorageError):
                raise StorageError(str(e).replace("保存失败", "备份失败").replace("创建文件夹失败", "备份失败")) from None
            raise StorageError(os_error_message(e, "备份", where)) from None
        faults.point("backup-renamed")
        return where

    def _copy(self, src: str, tdir: SafeDir) -> dict[str, object]:
        sfd = self.folder.open(src, os.O_RDONLY, what="备份")
        try:
            st = os.fstat(sfd)
            dfd = tdir.open(src, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, what="备份",
                            where=os.path.join(self.path, src))
            try:
                h, size = hashlib.sha256(), 0
                while True:
                    chunk = os.read(sfd, 1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
                    write_all(dfd, chunk, "backup-write" if size == 0 else "")
                    size += len(chunk)
                os.fchmod(dfd, stat.S_IMODE(st.st_mode))
                if os.fstat(dfd).st_gid != st.st_gid:
                    try:
                        os.fchown(dfd, -1, st.st_gid)
                    except OSError:
                        pass
                os.fsync(dfd)
            finally:
                os.close(dfd)
        finally:
            os.close(sfd)
        return {"size": size, "sha256": h.hexdigest()}

    def _remove(self, name: str, where: SafeDir | None = None) -> bool:
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
        try:
            fd = sub.open(fname, os.O_RDONLY)
        except FileNotFoundError:
            return f"缺少文件 {fname}"
        try:
            if os.fstat(fd).st_size != want.get("size"):
                return f"{fname} 的大小与清单不符（文件不完整）"
            if quick:
                return None
            h = hashlib.sha256()
            while chunk := os.read(fd, 1 << 20):
                h.update(chunk)
            if h.hexdigest() != want.get("sha256"):
                return f"{fname} 的内容与清单中的校验值不符"
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
            self._remove(old, bdir)

    def sweep(self) -> None:
        """Remove temp folders of backups a killed writer left (call under the lock)."""
        if self.folder.lstat(self.name) is None:
            return
        bdir = self.dir
        for n in bdir.listdir():
            if n.startswith(".") and n.endswith(".tmp"):
                bdir.refuse_odd(n)
                self._remove(n, bdir)

    def daily(self, user: str) -> None:
        """Once a day, before the first save: a backup of the files as they were. A broken
        one of today is made again."""
        day = today().strftime("%Y%m%d")
        todays = [n for n in self.names() if n.startswith(day) and n.endswith("-daily")]
        if any(self.verify(n, quick=True) is None for n in todays):
            return
        if self.make("daily", user) is None:
            return
        bdir = self.dir
        for n in todays:  # the broken ones: replaced by the one just made
            bdir.refuse_odd(n)
            self._remove(n, bdir)
        self.rotate("daily")

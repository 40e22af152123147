"""Making one backup: the shard files as they were at a moment, gzip-compressed, whole or absent.

``Snapshot`` opens the shard files (checked, without following a link) under the database's
lock. A save renames new files over the names and never writes a shard in place, so the
snapshot's descriptors keep reading the files as they were when it was taken, however long
the backup takes: the first save of a day takes the snapshot, commits, and the backup of the
state before it is compressed in a thread afterwards (``Database._commit``), so that the save
does not wait for a copy of the whole database.

``build`` writes ``<shard>.gz`` for each file into a temp folder (``.<name>.<random>.tmp``)
that it holds an flock on while building (so that another process's sweep leaves a backup in
progress alone, and removes one whose builder died), fsyncs each file, writes MANIFEST.json
(format 2: each file's size and SHA-256, and the size and SHA-256 of the .gz as stored), fsyncs
the folder and renames it to its final name. A crash leaves a temp folder or the whole backup.
Restore a file with ``gzip -dc zhenggai.json.gz > zhenggai.json`` while nobody saves.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import zlib
from typing import TYPE_CHECKING

import orjson

from . import faults
from .dates import now_iso
from .errors import StorageError, UnsafePathError
from .files import os_error_message
from .safedir import SafeDir, keep_mode, write_all

if TYPE_CHECKING:
    from .backups import Backups

FORMAT = 2
LEVEL = 6  # zlib's default: about 10 × smaller on a shard, ~100 MB/s on this machine's cores
CHUNK = 1 << 22


class Snapshot:
    """Open descriptors of the shard files as they are now (take it under the lock)."""

    def __init__(self, folder: SafeDir, names: list[str]) -> None:
        self.files: list[tuple[str, int, os.stat_result]] = []
        try:
            for name in names:
                try:
                    fd = folder.open(name, os.O_RDONLY, what="备份")
                except FileNotFoundError:
                    continue
                self.files.append((name, fd, os.fstat(fd)))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for _, fd, _ in self.files:
            try:
                os.close(fd)
            except OSError:
                pass
        self.files = []

    def __del__(self) -> None:
        self.close()


class Pending:
    """A backup's temp folder, made and locked (under the database lock, so that no sweep can
    come between the two): ``build`` fills it, from any thread."""

    def __init__(self, store: "Backups", final: str) -> None:
        self.store, self.final = store, final
        self.where = os.path.join(store.path, final)
        dmode = store.dmode()
        self.bdir = store.folder.make_dir(store.name, dmode)
        self.tmp = self.bdir.temp_name(final)
        try:
            self.tdir = self.bdir.make_dir(self.tmp, dmode, where=self.where)
            fcntl.flock(self.tdir.require(), fcntl.LOCK_EX)  # "in progress" for another process's sweep
        except OSError as e:
            store.remove(self.tmp, self.bdir)
            raise StorageError(os_error_message(e, "备份", self.where)) from None


def build(pending: Pending, snap: Snapshot, reason: str, user: str) -> str:
    """Write the backup from ``snap`` into ``pending`` and rename it into place; its path."""
    store, bdir, tdir, tmp, where = pending.store, pending.bdir, pending.tdir, pending.tmp, pending.where
    try:
        manifest = {name: _compress(fd, st, name, tdir, where) for name, fd, st in snap.files}
        body = orjson.dumps({"format": FORMAT, "reason": reason, "created": now_iso(), "user": user,
                             "files": manifest}, option=orjson.OPT_INDENT_2)
        fd = tdir.open("MANIFEST.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, what="备份", where=where)
        try:
            write_all(fd, body)
            keep_mode(fd, store.mode() & 0o660 or 0o600)
            os.fsync(fd)
        finally:
            os.close(fd)
        tdir.fsync()
        faults.point("backup-synced")
        bdir.rename(tmp, pending.final)
        bdir.fsync()
    except UnsafePathError:
        store.remove(tmp, bdir)
        raise
    except (OSError, StorageError) as e:
        store.remove(tmp, bdir)
        if isinstance(e, StorageError):
            raise StorageError(str(e).replace("保存失败", "备份失败").replace("创建文件夹失败", "备份失败")) from None
        raise StorageError(os_error_message(e, "备份", where)) from None
    finally:
        tdir.close()  # and with it the flock
    faults.point("backup-renamed")
    return where


def _compress(src: int, st: os.stat_result, name: str, tdir: SafeDir, where: str) -> dict[str, object]:
    """``name``.gz in ``tdir`` from the open file ``src``: its manifest entry."""
    stored = name + ".gz"
    dfd = tdir.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, what="备份", where=os.path.join(where, stored))
    try:
        content, packed = hashlib.sha256(), hashlib.sha256()
        size = written = 0
        gz = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)  # 31: the gzip format, readable by gzip -d
        pos = 0
        while True:
            chunk = os.pread(src, CHUNK, pos)  # from the start, whatever else read this descriptor
            if not chunk:
                break
            pos += len(chunk)
            content.update(chunk)
            size += len(chunk)
            out = gz.compress(chunk)
            if out:
                packed.update(out)
                write_all(dfd, out, "backup-write" if written == 0 else "")
                written += len(out)
        out = gz.flush()
        packed.update(out)
        write_all(dfd, out, "backup-write" if written == 0 else "")
        written += len(out)
        os.fchmod(dfd, stat.S_IMODE(st.st_mode))  # the shard's own mode (0600, or 0660 for a team)
        if os.fstat(dfd).st_gid != st.st_gid:
            try:
                os.fchown(dfd, -1, st.st_gid)
            except OSError:
                pass
        os.fsync(dfd)
    finally:
        os.close(dfd)
    return {"size": size, "sha256": content.hexdigest(), "stored": stored, "stored_size": written,
            "stored_sha256": packed.hexdigest()}

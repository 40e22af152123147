"""The database folder, reached without following symlinks.

A team shares the folder with a Unix group whose members can replace any file
in it. So every file and folder the app opens, creates, chmods, lists or
copies there goes through a :class:`SafeDir`: the folder is opened once
(O_DIRECTORY) and checked; each name in it is opened relative to that
descriptor with O_NOFOLLOW and checked with fstat (a regular file or folder,
one link, owned by us or by the folder's group); modes and groups are set by
descriptor (fchmod / fchown), never by path. A planted symlink, a hard link to
someone else's file, a FIFO or a file of a stranger is refused with
:class:`UnsafePathError`, naming it; nothing outside the folder is touched.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from typing import Callable, Iterator

from . import faults
from .errors import StorageError, UnsafePathError
from .files import os_error_message

_FLAGS = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
TEMP_SUFFIX = ".tmp"


class SafeDir:
    """A folder opened once; names in it are single path components.

    ``SafeDir(path)`` opens the folder on first use (None while it does not
    exist); ``sub(name)`` is a folder inside it, opened with O_NOFOLLOW.
    """

    def __init__(self, path: str, parent: "SafeDir | None" = None) -> None:
        self.path = path
        self.parent = parent
        self._fd: int | None = None
        self.gid = -1  # the group files in it may belong to (the top folder's)

    # ------------------------------------------------------------ the folder itself

    def fd(self) -> int | None:
        if self._fd is None:
            try:
                if self.parent is None:
                    fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                else:
                    pfd = self.parent.fd()
                    if pfd is None:
                        return None
                    fd = os.open(self.name, os.O_RDONLY | os.O_DIRECTORY | _FLAGS, dir_fd=pfd)
            except FileNotFoundError:
                return None
            except OSError as e:
                if self.parent is not None and e.errno in (errno.ELOOP, errno.ENOTDIR):
                    self.parent.refuse_odd(self.name)
                raise StorageError(os_error_message(e, "打开数据库文件夹", self.path)) from None
            try:
                self._check_dir(fd)
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
        return self._fd

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def _check_dir(self, fd: int) -> None:
        st = os.fstat(fd)
        if self.parent is None:
            if st.st_mode & stat.S_IWOTH and not st.st_mode & stat.S_ISVTX:
                raise UnsafePathError(self.path, "这个文件夹任何用户都可以写入（权限含 o+w），他人可在其中放置文件")
            self.gid = st.st_gid
        else:
            self.gid = self.parent.gid
            _check_owner(st, self.gid, self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def require(self) -> int:
        fd = self.fd()
        if fd is None:
            raise StorageError(os_error_message(FileNotFoundError(errno.ENOENT, "not found"), "打开数据库文件夹", self.path))
        return fd

    def join(self, name: str) -> str:
        return os.path.join(self.path, name)

    def sub(self, name: str) -> "SafeDir":
        return SafeDir(self.join(name), self)

    def fsync(self) -> None:
        fd = self.fd()
        if fd is not None:
            try:
                os.fsync(fd)
            except OSError:
                pass

    # ------------------------------------------------------------ names in it

    def lstat(self, name: str) -> os.stat_result | None:
        fd = self.fd()
        if fd is None:
            return None
        try:
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as e:
            raise StorageError(os_error_message(e, "读取数据库", self.join(name))) from None

    def refuse_odd(self, name: str) -> None:
        """Raise UnsafePathError when ``name`` is a symlink or not a plain file or folder."""
        st = self.lstat(name)
        if st is None:
            return
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(name, dir_fd=self.fd())
            except OSError:
                target = "？"
            raise UnsafePathError(self.join(name), f"它是一个符号链接（指向 {target}）")
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise UnsafePathError(self.join(name), "它不是普通文件（可能是设备、管道或套接字）")

    def open(self, name: str, flags: int, mode: int = 0o600, what: str = "读取数据库", where: str | None = None) -> int:
        """os.open of ``name`` in this folder, not following a symlink, checked by fstat.

        Raises FileNotFoundError (without O_CREAT), UnsafePathError or StorageError (naming
        ``where``, the file the user knows, when given: not a temp file's random name).
        """
        dfd = self.fd()
        if dfd is None:
            raise FileNotFoundError(errno.ENOENT, "no folder", self.join(name))
        try:
            fd = os.open(name, flags | _FLAGS, mode, dir_fd=dfd)
        except FileNotFoundError:
            raise
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENOTDIR, errno.EMLINK):
                self.refuse_odd(name)
            raise StorageError(os_error_message(e, what, where or self.join(name))) from None
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise StorageError(os_error_message(IsADirectoryError(errno.EISDIR, ""), what, self.join(name)))
            if not stat.S_ISREG(st.st_mode):
                raise UnsafePathError(self.join(name), "它不是普通文件（可能是设备、管道或套接字）")
            _check_owner(st, self.gid, self.join(name))
        except BaseException:
            os.close(fd)
            raise
        return fd

    def read(self, name: str) -> tuple[bytes, os.stat_result] | None:
        """The whole file and the fstat of what was read; None when it does not exist."""
        try:
            fd = self.open(name, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            st = os.fstat(fd)
            chunks, left = [], st.st_size
            while True:
                chunk = os.read(fd, max(left, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks), st
        except OSError as e:
            raise StorageError(os_error_message(e, "读取数据库", self.join(name))) from None
        finally:
            os.close(fd)

    def head(self, name: str, size: int = 4096) -> tuple[bytes, os.stat_result] | None:
        """The first ``size`` bytes and the fstat of the same file; None when missing."""
        try:
            fd = self.open(name, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            return os.pread(fd, size, 0), os.fstat(fd)
        except OSError as e:
            raise StorageError(os_error_message(e, "读取数据库", self.join(name))) from None
        finally:
            os.close(fd)

    def listdir(self) -> list[str]:
        fd = self.fd()
        if fd is None:
            return []
        try:
            return os.listdir(fd)
        except OSError as e:
            raise StorageError(os_error_message(e, "读取数据库文件夹", self.path)) from None

    def unlink(self, name: str) -> None:
        fd = self.fd()
        if fd is not None:
            os.unlink(name, dir_fd=fd)

    def rename(self, src: str, dst: str) -> None:
        dfd = self.require()
        os.replace(src, dst, src_dir_fd=dfd, dst_dir_fd=dfd)

    def temp_name(self, name: str) -> str:
        return f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"

    def stale_temps(self, name: str) -> Iterator[str]:
        prefix = "." + name + "."
        for n in self.listdir():
            if n.startswith(prefix) and n.endswith(TEMP_SUFFIX):
                yield n

    def remove_stale_temps(self, *names: str) -> int:
        """Delete temp files a killed writer left for ``names`` (call under the lock:
        temp files are made only under it, so any that exist belong to a dead process)."""
        n = 0
        for name in names:
            for tmp in list(self.stale_temps(name)):
                self.refuse_odd(tmp)
                try:
                    self.unlink(tmp)
                    n += 1
                except OSError:
                    pass
        return n

    # ------------------------------------------------------------ writing

    def replace(self, name: str, payload: bytes | memoryview | Callable[[int], object], mode: int, *,
                durable: bool = True, where: str | None = None, step: str = "shard",
                keep_open: bool = False) -> os.stat_result | tuple[os.stat_result, int]:
        """Replace ``name`` so that a crash leaves the old file or the new one, never half.

        Temp file beside it, written (``payload``, or a function that writes to the temp
        file's descriptor), with ``durable`` fsynced, given ``mode`` and the old file's group
        by descriptor, renamed over the old one, folder fsynced. Returns the fstat of the new
        file; with ``keep_open`` also its descriptor, open for reading (the new file's source).
        StorageError names ``where`` (the database file).
        """
        where = where or self.join(name)
        dfd = self.require()
        self.refuse_odd(name)  # never silently replace a planted link
        old = self.lstat(name)
        tmp = self.temp_name(name)
        try:
            fd = self.open(tmp, (os.O_RDWR if keep_open else os.O_WRONLY) | os.O_CREAT | os.O_EXCL, 0o600,
                           what="保存", where=where)
        except FileNotFoundError as e:
            raise StorageError(os_error_message(e, "保存", where)) from None
        try:
            try:
                if callable(payload):
                    payload(fd)
                else:
                    write_all(fd, payload, f"{step}-write")
                if durable:
                    os.fsync(fd)
                faults.point(f"{step}-synced")
                os.fchmod(fd, mode)
                if old is not None and old.st_gid != os.fstat(fd).st_gid:
                    try:
                        os.fchown(fd, -1, old.st_gid)
                    except OSError:
                        pass  # not a member of that group: keep ours
                st = os.fstat(fd)
            finally:
                if not keep_open:
                    os.close(fd)
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException as e:
            if keep_open:
                os.close(fd)
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
            if isinstance(e, OSError):
                raise StorageError(os_error_message(e, "保存", where)) from None
            raise
        faults.point(f"{step}-renamed")
        if durable:
            self.fsync()
        return (st, fd) if keep_open else st

    def make_dir(self, name: str, mode: int, where: str | None = None) -> "SafeDir":
        """The folder ``name`` in this one, created with exactly ``mode`` (plus the setgid
        bit the parent passes on) when missing."""
        dfd = self.require()
        try:
            os.mkdir(name, 0o700, dir_fd=dfd)
            created = True
        except FileExistsError:
            created = False
        except OSError as e:
            raise StorageError(os_error_message(e, "创建文件夹", where or self.join(name))) from None
        sub = self.sub(name)
        fd = sub.require()
        if created:
            keep_mode(fd, mode)
        return sub


def write_all(fd: int, payload: bytes | memoryview, step: str = "") -> None:
    view = memoryview(payload)
    if step and faults.armed(step):  # half the bytes, then the kill: a torn write
        os.write(fd, view[: len(view) // 2])
        faults.point(step)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def keep_mode(fd: int, mode: int) -> None:
    """Give a folder or file we just created exactly ``mode`` by descriptor, keeping the
    setgid bit (and so the group) a setgid parent gave it: chmod would clear it."""
    try:
        st = os.fstat(fd)
        want = mode | (st.st_mode & stat.S_ISGID if stat.S_ISDIR(st.st_mode) else 0)
        if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != want:
            os.fchmod(fd, want)
    except OSError:
        pass


def _check_owner(st: os.stat_result, gid: int, path: str) -> None:
    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        raise UnsafePathError(path, f"它有 {st.st_nlink} 个硬链接（可能指向别人的文件）")
    if st.st_uid != os.geteuid() and st.st_gid != gid:
        raise UnsafePathError(path, f"它的属主（{_user(st.st_uid)}）和属组（{_group(st.st_gid)}）都不是本数据库的")


def _user(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def make_dirs(path: str, mode: int) -> None:
    """Create ``path`` and missing parents. Each folder made gets exactly ``mode``, keeping
    the setgid bit and group it inherits (a team's 2770 folder stays the team's), set by
    descriptor; a name that turns out to be a symlink is refused."""
    path = os.path.abspath(path)
    missing: list[str] = []
    p = path
    while not os.path.isdir(p):
        missing.append(os.path.basename(p))
        parent = os.path.dirname(p)
        if parent == p:
            break
        p = parent
    base = SafeDir(p)
    base_fd = base.require()
    for name in reversed(missing):
        try:
            os.mkdir(name, 0o700, dir_fd=base_fd)
        except FileExistsError:
            pass
        child = base.sub(name)
        keep_mode(child.require(), mode)
        base = child
        base_fd = child.require()

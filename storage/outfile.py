"""Where an export may go, and how it is put there (people CSV here, .docx in writers/).

An export is written only as a regular file. The user may name a folder (the default file
name is used in it) or a name without its suffix (added); an existing name that is a device
(``/dev/full``), a pipe, a socket, a folder or a symlink is refused with a message, never
replaced or written through. The bytes go to a temporary file in the target folder, are
fsynced, then linked to the new name (an existing file is never clobbered without ``force``,
even one that appeared meanwhile) or renamed over the old file with ``force``; a full disk or
a refused permission leaves nothing behind and says so in Chinese, naming the export.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ZhenggaiError

# Names that are clearly another kind of file: refused rather than given a second suffix.
OTHER_SUFFIXES = frozenset(
    ".doc .docx .docm .dot .dotx .wps .wpt .rtf .odt .pdf .ofd .txt .md .htm .html .xml .json"
    " .xls .xlsx .xlsm .et .ods .csv .tsv .ppt .pptx .dps .zip .rar .7z .png .jpg .jpeg".split()
)

OVERWRITE_HINT = "如需覆盖请加 --force。"


def _umask() -> int:
    m = os.umask(0o022)
    os.umask(m)
    return m


# Read once at import (in the main thread): os.umask is process-wide, not thread-safe.
DEFAULT_MODE = 0o666 & ~_umask()


def resolve(
    output: str,
    *,
    suffixes: tuple[str, ...],
    force: bool,
    default_name: str | Callable[[], str] | None = None,
    example: str = "",
    overwrite_hint: str = OVERWRITE_HINT,
) -> Path:
    """The absolute path to write for the user's ``output``, or a ZhenggaiError saying why not.

    ``suffixes[0]`` is added to a new name that has none of ``suffixes``; ``default_name`` (or
    a function giving it) is used when ``output`` names a folder.
    """
    text = str(output or "").strip()
    if not text:
        raise ZhenggaiError(f"请指定输出文件{('，例如 ' + example) if example else ''}。")
    path = Path(os.path.expanduser(text)).absolute()
    if text.endswith(("/", os.sep)) or path.is_dir():
        if default_name is None:
            raise ZhenggaiError(f"“{path}”是一个文件夹，请给出文件名，例如 {path / ('材料' + suffixes[0])}")
        if not path.is_dir():
            raise ZhenggaiError(f"文件夹不存在：{path}。请先创建它，或换一个位置。")
        path = path / (default_name() if callable(default_name) else default_name)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        if suffix in OTHER_SUFFIXES:
            raise ZhenggaiError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{path}")
        if not os.path.lexists(path):  # a name that exists is judged as it is (/dev/full stays /dev/full)
            path = path.with_name(path.name + suffixes[0])
    if not path.parent.is_dir():
        raise ZhenggaiError(f"文件夹不存在：{path.parent}。请先创建它，或换一个位置。")
    refuse_unless_regular(path)
    if path.exists() and not force:
        raise ZhenggaiError(f"文件已存在：{path}。未做任何改动；{overwrite_hint}")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ZhenggaiError(f"没有权限写入文件夹：{path.parent}")
    return path


def refuse_unless_regular(path: Path) -> None:
    """Raise unless ``path`` is absent or a regular file (a symlink is not followed)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise ZhenggaiError(message(e, path)) from None
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISLNK(st.st_mode):
        raise ZhenggaiError(f"“{path}”是一个符号链接：为安全起见不写入链接指向的位置。请换一个文件名。")
    if stat.S_ISDIR(st.st_mode):
        raise ZhenggaiError(f"“{path}”是一个文件夹，请换一个文件名。")
    raise ZhenggaiError(f"“{path}”不是普通文件（是设备、管道或套接字），导出只写入普通文件。请换一个文件名。")


def write(path: Path, payload: bytes, *, force: bool, mode: int = DEFAULT_MODE,
          overwrite_hint: str = OVERWRITE_HINT) -> None:
    """Put ``payload`` at ``path`` (from :func:`resolve`) so that a crash leaves old or new."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".zhenggai-", suffix=path.suffix + ".tmp", dir=folder)
    except OSError as e:
        raise ZhenggaiError(message(e, path)) from None
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if force:
            refuse_unless_regular(path)  # again: it may have changed since resolve()
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name exists: never clobber a file that appeared meanwhile
            except FileExistsError:
                raise ZhenggaiError(f"文件已存在：{path}。未做任何改动；{overwrite_hint}") from None
            except OSError as e:
                if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                # no hard links on this file system (vfat, some network mounts): check, then rename
                if os.path.lexists(path):
                    raise ZhenggaiError(f"文件已存在：{path}。未做任何改动；{overwrite_hint}") from None
                os.replace(tmp, path)
        _fsync_dir(folder)
    except OSError as e:
        raise ZhenggaiError(message(e, path)) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def message(e: OSError, path: Path | str) -> str:
    """A Chinese message for a failed export, naming the export (not a temp file)."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"导出失败：磁盘空间已满（或超出配额），文件未写入：{path}。请清理磁盘或换一个位置后重试。"
    if e.errno in (errno.EACCES, errno.EPERM):
        return f"导出失败：没有权限写入：{path}"
    if e.errno == errno.EROFS:
        return f"导出失败：文件系统为只读，无法写入：{path}"
    if e.errno in (errno.ENOTDIR, errno.ENOENT):
        return f"导出失败：文件夹不存在：{Path(path).parent}"
    if e.errno == errno.ENAMETOOLONG:
        return f"导出失败：文件名太长：{path}"
    return f"导出失败：{path}（{e.strerror or e}）"


def _fsync_dir(folder: Path) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)

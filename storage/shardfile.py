"""A shard file read and written in pieces (storage/lines.py decides what the pieces are).

A loaded shard does not keep the file's bytes: it keeps the descriptor it read them from
(``FdSource``), and a record is read back with one ``pread`` when asked for. A colleague's
save renames a new file over the name; our descriptor still reads the inode we loaded
(the app never writes a shard in place), so what we hold stays exactly what we proved
whole, while using no memory of ours (the page cache holds it, as for any file).

A save writes its temp file through an ``FdSink``: changed records as bytes, every run of
unchanged records copied from the old file by the kernel (``copy_file_range``, falling back
to read + write), so that a save of one record at scale neither encodes nor copies through
Python the ten thousand lines it does not change.
"""

from __future__ import annotations

import os
from typing import Iterator

from . import faults
from .errors import StorageError

CHUNK = 1 << 22  # reads of 4 MB: few system calls, little memory


class BytesSource:
    """The bytes of a file held in memory (a test, a file of another layout)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def size(self) -> int:
        return len(self.raw)

    def read(self, start: int, n: int) -> bytes | memoryview:
        return memoryview(self.raw)[start:start + n]

    def copy_to(self, sink: "BytesSink | FdSink", start: int, n: int) -> None:
        sink.write(memoryview(self.raw)[start:start + n])

    def chunks(self) -> Iterator[bytes]:
        yield self.raw


class FdSource:
    """An open, checked descriptor of a shard file; closed when nothing refers to it."""

    def __init__(self, fd: int, size: int, path: str) -> None:
        self.fd, self._size, self.path = fd, size, path

    def size(self) -> int:
        return self._size

    def read(self, start: int, n: int) -> bytes:
        data = os.pread(self.fd, n, start)
        return data  # shorter only if someone cut the file in place: the record then fails to parse

    def copy_to(self, sink: "BytesSink | FdSink", start: int, n: int) -> None:
        sink.copy_from(self, start, n)

    def chunks(self) -> Iterator[bytes]:
        pos = 0
        while pos < self._size:
            chunk = os.pread(self.fd, min(CHUNK, self._size - pos), pos)
            if not chunk:
                return
            pos += len(chunk)
            yield chunk

    def close(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1

    def __del__(self) -> None:
        self.close()


class Lines:
    """(offset, line without its newline) of every line of ``chunks``; after the loop,
    ``newline_at_end`` says whether the last line had its newline."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.newline_at_end = True

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        carry = b""
        pos = 0
        for chunk in self.chunks:
            if carry:
                chunk = carry + chunk
            parts = chunk.split(b"\n")
            carry = parts.pop()
            for line in parts:
                yield pos, line
                pos += len(line) + 1
        if carry:
            self.newline_at_end = False
            yield pos, carry


class CountSink:
    """Counts what a file would hold (the size a torn-write test cuts in half)."""

    def __init__(self) -> None:
        self.pos = 0

    def write(self, data: bytes | memoryview) -> None:
        self.pos += len(data)

    def copy_from(self, src: FdSource, start: int, n: int) -> None:
        self.pos += n


class BytesSink:
    """Collects the pieces of a file in memory (tests, and ``lines.dumps``)."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []
        self.pos = 0

    def write(self, data: bytes | memoryview) -> None:
        self.parts.append(data)
        self.pos += len(data)

    def copy_from(self, src: FdSource, start: int, n: int) -> None:
        self.write(os.pread(src.fd, n, start))

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class FdSink:
    """Writes the pieces of a file to a descriptor: small pieces through a buffer, runs of
    an old file copied by the kernel. ``fault`` (a kill point of storage/faults.py) kills
    the process once about half of ``total`` bytes are written: a torn temp file."""

    BUFFER = 1 << 20

    def __init__(self, fd: int, total: int = 0, fault: str = "") -> None:
        self.fd, self.done, self.total = fd, 0, total
        self.buf = bytearray()
        self.half = total // 2 if fault and faults.armed(fault) else -1
        self.fault = fault

    @property
    def pos(self) -> int:
        """Bytes written so far, buffered ones included: where the next piece starts."""
        return self.done + len(self.buf)

    def _check_fault(self) -> None:
        if 0 <= self.half <= self.done + len(self.buf):
            self.flush()
            faults.point(self.fault)

    def write(self, data: bytes | memoryview) -> None:
        if 0 <= self.half and self.done + len(self.buf) + len(data) > self.half:
            cut = self.half - self.pos
            self.buf += data[:cut]
            self._check_fault()
            data = data[cut:]
        self.buf += data
        if len(self.buf) >= self.BUFFER:
            self.flush()

    def flush(self) -> None:
        view = memoryview(self.buf)
        while view:
            view = view[os.write(self.fd, view):]
        self.done += len(self.buf)
        self.buf = bytearray()

    def copy_from(self, src: FdSource, start: int, n: int) -> None:
        if n <= 1 << 16:  # a short run: through the buffer
            data = os.pread(src.fd, n, start)
            if len(data) != n:
                raise _changed_under_us(src)
            self.write(data)
            return
        self.flush()
        if 0 <= self.half and self.done + n > self.half:
            cut = self.half - self.done
            self._copy(src, start, cut)
            self.done += cut
            self._check_fault()
            start, n = start + cut, n - cut
        self._copy(src, start, n)
        self.done += n

    def _copy(self, src: FdSource, start: int, n: int) -> None:
        end = start + n
        copy = getattr(os, "copy_file_range", None)
        while start < end:
            got = 0
            if copy is not None:
                try:
                    got = copy(src.fd, self.fd, end - start, start)
                except OSError:
                    copy = None  # another file system, an old kernel: read and write instead
            if copy is None:
                data = os.pread(src.fd, min(end - start, 1 << 22), start)
                view = memoryview(data)
                while view:
                    view = view[os.write(self.fd, view):]
                got = len(data)
            if got <= 0:
                raise _changed_under_us(src)
            start += got


def _changed_under_us(src: FdSource) -> StorageError:
    return StorageError(f"保存失败：数据文件在读取之后被人就地改短了（{src.path}），未做任何改动。请重新打开后再试。")

"""`check` of the history file: the hash chain line by line, which lines belong to committed
saves, and whether each shard's latest commit has its lines (history.py has the rules).

The file is read in pieces up to the length it had when the check took its snapshot, and
only one entry per commit is kept (not one per line): 670 000 lines at 10× are walked in
constant memory.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator

import orjson

from .history import _TAG, Lineage, entry_problem, line_hash
from .shardfile import CHUNK, Lines

if TYPE_CHECKING:
    from .database import Database


def _chunks(fd: int, size: int) -> Iterator[bytes]:
    pos = 0
    while pos < size:
        chunk = os.pread(fd, min(CHUNK, size - pos), pos)
        if not chunk:
            return
        pos += len(chunk)
        yield chunk


def history_report(db: "Database", opened: tuple[int, int] | None, commits_of: dict[str, dict[str, Any] | None],
                   problems: list[str], notes: list[str]) -> dict[str, Any]:
    """``commits_of``: each shard's commit record (None: no file, or none recorded)."""
    prev, prev_no = "", 0
    chained = legacy = cut = n = 0
    broken: int | None = None
    # One entry per run of lines of one commit: [shard, commit, parent, lines, last line, its hash]
    commits: list[list[Any]] = []
    tip = ""
    for no, (_, line) in enumerate(Lines(_chunks(*opened)) if opened else (), 1):
        if not line.strip():
            continue
        n += 1
        m = _TAG.match(line)
        try:
            e = orjson.loads(line)
        except orjson.JSONDecodeError:
            e = None
            cut += 1
        h = line_hash(line)
        if m:
            chained += 1
            if broken is None and m.group(4).decode() != prev:
                broken = no
                problems.append(f"修改记录第 {no} 行的校验值与上一行（第 {prev_no} 行）不符：第 {prev_no} 行被改动，"
                                f"或两行之间有行被删除、插入（{db.history_path}）")
            shard, commit, parent = m.group(3).decode(), m.group(1).decode(), m.group(2).decode()
            last = commits[-1] if commits else None
            if last is not None and last[0] == shard and last[1] == commit:
                last[3] += 1
                last[4], last[5] = no, h
            else:
                commits.append([shard, commit, parent, 1, no, h])
        elif e is not None:
            if chained and broken is None:
                broken = no
                problems.append(f"修改记录第 {no} 行没有校验值，却出现在校验链开始之后：该行由旧版本的 zhenggai 写入，"
                                f"或是被人插入的（{db.history_path}）")
            elif not chained:
                legacy += 1
        if e is not None:
            problem = entry_problem(e)
            if problem:
                problems.append(f"修改记录第 {no} 行格式不正确：{problem}")
        prev, prev_no, tip = h, no, h

    heads = {name: (rec or {}).get("id") for name, rec in commits_of.items()}
    lineage = Lineage(heads)
    dead = sum(c[3] for c in reversed(commits) if not lineage.accept(c[0], c[1], c[2]))
    for name, rec in commits_of.items():
        if rec is None:
            continue
        path = db._shards[name].path
        mine = [c for c in commits if c[0] == name and c[1] == rec["id"]]
        if not mine:
            problems.append(f"数据文件 {path} 最近一次保存（第 {rec['generation']} 次）在修改记录中找不到："
                            "修改记录被截断、删除或替换")
        elif rec.get("history") and mine[-1][5] != rec["history"]:
            problems.append(f"修改记录第 {mine[-1][4]} 行与数据文件 {path} 中记下的校验值不符：该行被改动")
    if dead:
        notes.append(f"修改记录中有 {dead} 行属于未完成的保存（进程中断于写入数据之前），已忽略")
    if cut:
        notes.append(f"修改记录中有 {cut} 行不完整（写入时中断），已忽略")
    if legacy:
        notes.append(f"修改记录的前 {legacy} 行由旧版本写入，没有校验链")
    return {"path": db.history_path, "lines": n, "chained": chained, "legacy": legacy, "dead": dead,
            "cut": cut, "broken_line": broken, "ok": broken is None, "tip": tip}

"""`zhenggai check`: records, the history chain, the indexes and the backups.

``check_report(db)`` returns a dict; ``problems`` lists what is wrong with the
database (`check` exits 2 when there are any); ``notes`` says what was found
and repaired or ignored on the way (a stale index rebuilt, lines of saves that
never completed); ``backups`` says which backups are usable and why not.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import orjson

from .errors import StorageError, UnsafePathError, ZhenggaiError
from .history import _TAG, Lineage, entry_problem, line_hash
from .index import merged
from .models import SPECS, TABLE_LABEL, normalize
from .records import REFERENCES

if TYPE_CHECKING:
    from .database import Database


def check_report(db: "Database") -> dict[str, Any]:
    problems: list[str] = []
    notes: list[str] = []
    with _locked(db, notes):  # under the lock: shards, history and indexes as one state
        for shard in db._shards.values():
            shard.fresh()
        problems += record_problems(db)
        hist = history_report(db, problems, notes)
        index = index_report(db, problems, notes)
    backups = []
    for path in db.backups():
        name = path.rsplit("/", 1)[-1]
        reason = db.store.verify(name)
        backups.append({"name": name, "path": path, "usable": reason is None, "reason": reason or ""})
    return {"problems": problems, "notes": notes, "history": hist, "index": index, "backups": backups}


@contextmanager
def _locked(db: "Database", notes: list[str]) -> Iterator[None]:
    """The database lock when we can take it; a read-only member (or a read-only disk)
    still gets its check, of the files as they are."""
    tx = db.transaction()
    try:
        tx.__enter__()
    except UnsafePathError:
        raise
    except StorageError as e:
        notes.append(f"未能锁定数据库，按文件当前的样子校验（{e}）")
        yield
        return
    try:
        yield
    except BaseException as e:
        tx.__exit__(type(e), e, e.__traceback__)
        raise
    tx.__exit__(None, None, None)


def record_problems(db: "Database") -> list[str]:
    problems: list[str] = []
    for table in SPECS:
        for uid, rec in db.table_dict(table).items():
            if rec.get("uid") != uid:
                problems.append(f"{TABLE_LABEL[table]} {uid}：uid 字段与键不一致")
            try:
                normalize(table, rec)
            except ZhenggaiError as e:
                problems.append(f"{TABLE_LABEL[table]} {uid}：{e}")
            for fld, target in REFERENCES.get(table, ()):
                ref = rec.get(fld)
                if ref and ref not in db.table_dict(target):
                    problems.append(f"{TABLE_LABEL[table]} {uid}：{fld} 引用了不存在的记录 {ref}")
    return problems


def history_report(db: "Database", problems: list[str], notes: list[str]) -> dict[str, Any]:
    """Walk the history file: the hash chain line by line, then which lines belong to
    committed saves, and whether each shard's latest commit has its lines."""
    raw = db.hist.read_all() or b""
    rows: list[tuple[int, bytes]] = [(n, line) for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]
    prev, prev_no = "", 0
    chained = legacy = cut = 0
    broken: int | None = None
    groups: list[tuple[int, str, str, str, str]] = []  # line, shard, commit, parent, hash
    for no, line in rows:
        m = _TAG.match(line)
        try:
            e = orjson.loads(line)
        except orjson.JSONDecodeError:
            e = None
            cut += 1
        if m:
            chained += 1
            if broken is None and m.group(4).decode() != prev:
                broken = no
                problems.append(f"修改记录第 {no} 行的校验值与上一行（第 {prev_no} 行）不符：第 {prev_no} 行被改动，"
                                f"或两行之间有行被删除、插入（{db.history_path}）")
            groups.append((no, m.group(3).decode(), m.group(1).decode(), m.group(2).decode(), line_hash(line)))
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
        prev, prev_no = line_hash(line), no

    heads = {name: shard.commit_id for name, shard in db._shards.items()}
    lineage = Lineage(heads)
    dead = sum(1 for no, shard, commit, parent, _ in reversed(groups) if not lineage.accept(shard, commit, parent))
    for name, shard in db._shards.items():
        rec = shard.commit
        if rec is None:
            continue
        mine = [g for g in groups if g[1] == name and g[2] == rec["id"]]
        if not mine:
            problems.append(f"数据文件 {shard.path} 最近一次保存（第 {rec['generation']} 次）在修改记录中找不到："
                            "修改记录被截断、删除或替换")
        elif rec.get("history") and mine[-1][4] != rec["history"]:
            problems.append(f"修改记录第 {mine[-1][0]} 行与数据文件 {shard.path} 中记下的校验值不符：该行被改动")
    if dead:
        notes.append(f"修改记录中有 {dead} 行属于未完成的保存（进程中断于写入数据之前），已忽略")
    if cut:
        notes.append(f"修改记录中有 {cut} 行不完整（写入时中断），已忽略")
    if legacy:
        notes.append(f"修改记录的前 {legacy} 行由旧版本写入，没有校验链")
    tip = line_hash(rows[-1][1]) if rows else ""
    return {"path": db.history_path, "lines": len(rows), "chained": chained, "legacy": legacy, "dead": dead,
            "cut": cut, "broken_line": broken, "ok": broken is None, "tip": tip}


def index_report(db: "Database", problems: list[str], notes: list[str]) -> dict[str, str]:
    """Compare each index with what its shard says it should be; rebuild one that differs."""
    out: dict[str, str] = {}
    for shard in db._shards.values():
        label = shard.index.name
        want = shard.index_payload()
        if want is None:
            out[label] = "无（尚无数据文件）"
            continue
        got = shard.folder.read(shard.index.name)
        have = merged(got[0]) if got else None
        expect = merged(want)
        if have == expect:
            out[label] = "一致"
            continue
        if have is None:
            state = "缺失或无法解析，已重建"
            notes.append(f"索引 {label} {state}")
        elif have.get("stamp") != expect.get("stamp") or have.get("commit") != expect.get("commit"):  # type: ignore[union-attr]
            state = "已过期（不对应当前数据文件），已重建"
            notes.append(f"索引 {label} {state}")
        else:
            state = "与数据文件不一致（可能被人改动），已按数据文件重建"
            problems.append(f"索引 {shard.folder.join(label)} {state}")
        shard.index.write(want, shard.mode(0o600))
        shard.index.drop()
        out[label] = state
    return out

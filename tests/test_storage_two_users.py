"""Two real Unix accounts sharing one database in a team folder (setgid 2770).

The test runs as root and forks children that become ``nobody`` and ``daemon``,
both members of one extra group; it is skipped with a reason elsewhere. Each
child claims to be root in $USER and $LOGNAME: the history must name the real
accounts anyway. One account's backups are rotated by the other.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable

import orjson
import pytest

from storage.backups import BACKUP_KEEP

A, B = "nobody", "daemon"


def _account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not _account(A) or not _account(B),
    reason="needs root (to become two real accounts) and the system accounts nobody and daemon",
)


@pytest.fixture
def team():
    """/tmp/zg-team-*/team, owned by root and the group, chmod 2770 (as an administrator sets it up)."""
    try:
        gid = grp.getgrnam("users").gr_gid
    except KeyError:
        gid = 100
    base = Path(tempfile.mkdtemp(prefix="zg-team-"))
    os.chmod(base, 0o755)
    folder = base / "team"
    folder.mkdir()
    os.chown(folder, 0, gid)
    os.chmod(folder, 0o2770)
    try:
        yield folder, gid
    finally:
        shutil.rmtree(base, ignore_errors=True)


def as_user(name: str, gid: int, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` in a forked child that is really ``name`` (plus the team group)."""
    pw = pwd.getpwnam(name)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            os.close(r)
            os.setgroups([gid])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
            os.umask(0o022)
            os.environ.update(USER="root", LOGNAME="root", HOME="/nonexistent")
            out = {"ok": fn(*args)}
        except BaseException as e:  # reported to the parent, which fails the test with it
            import traceback

            out = {"error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"}
            code = 1
        try:
            os.write(w, orjson.dumps(out))
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    result = orjson.loads(b"".join(chunks))
    assert "error" not in result, result["error"]
    return result["ok"]


def first_user(path: str) -> dict[str, Any]:
    from storage import Database
    from storage.items import create_campaign

    db = Database.open(path, shared=True)
    camp = create_campaign(db, "共用数据库", "dsh2024", organ="甲写的")
    made = [os.path.basename(db.backup("import")) for _ in range(BACKUP_KEEP["import"] + 1)]
    return {"camp": camp["uid"], "rev": db.get("campaigns", camp["uid"])["rev"], "backups": made}


def second_user(path: str, camp: str, rev: int) -> dict[str, Any]:
    from storage import Database

    db = Database.open(path)
    db.update("campaigns", camp, {"organ": "乙改的"}, expected_rev=rev)
    db.insert("persons", {"name": "王某", "role": "党员委员"})
    made = [os.path.basename(db.backup("import")) for _ in range(2)]
    return {"backups": made, "names": [os.path.basename(b) for b in db.backups()]}


def first_again(path: str, camp: str) -> dict[str, Any]:
    from storage import Database

    db = Database.open(path)
    report = db.check_report()
    return {
        "organ": db.get("campaigns", camp)["organ"],
        "users": sorted({e["user"] for e in db.history(limit=100)}),
        "updated_by": db.get("campaigns", camp)["updated_by"],
        "problems": report["problems"],
        "backups": [(b["name"], b["usable"]) for b in report["backups"]],
    }


def test_two_accounts_share_save_and_rotate_each_others_backups(team):
    folder, gid = team
    path = str(folder / "zhenggai.json")
    first = as_user(A, gid, first_user, path)
    assert len(first["backups"]) == BACKUP_KEEP["import"] + 1
    second = as_user(B, gid, second_user, path, first["camp"], first["rev"])
    imports = [n for n in second["names"] if n.endswith("-import")]
    assert len(imports) == BACKUP_KEEP["import"]  # B removed A's oldest three
    assert set(second["backups"]) <= set(imports) and first["backups"][0] not in imports
    again = as_user(A, gid, first_again, path, first["camp"])
    assert again["organ"] == "乙改的" and again["updated_by"] == B
    assert again["users"] == sorted([A, B])  # never "root", whatever $USER says
    assert again["problems"] == [] and all(usable for _, usable in again["backups"])
    # Everything is the team's: group, group-writable, folders setgid.
    for p in folder.rglob("*"):
        st = os.lstat(p)
        assert st.st_gid == gid, (p, st.st_gid)
        if stat.S_ISDIR(st.st_mode):
            assert stat.S_IMODE(st.st_mode) == 0o2770, (p, oct(st.st_mode))
        else:
            assert stat.S_IMODE(st.st_mode) == 0o660, (p, oct(st.st_mode))

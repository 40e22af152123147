"""The app's interactive figures (interact.py in a process of its own) and the document exports."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile

from figures import HERE, ROOT, Context, med, mb, ms, spread, working_copy

ACTION = {1.0: 1.0, 3.0: 1.0, 10.0: 3.0}  # every interactive action (DESIGN §10, issue 14)


def interactive(ctx: Context, scale: float, db: str) -> None:
    """interact.py on a fresh copy (no backup yet: its first save is the day's first)."""
    copy = working_copy(ctx, db, "interact")
    out = os.path.join(os.path.dirname(copy), "result.json")
    try:
        r = ctx.piped([os.path.join(HERE, "interact.py"), copy, "--out", out, "--repeat", str(max(4, ctx.repeat)),
                       "--colleague", str(max(3, ctx.repeat // 2 + 1))])
        with open(out, encoding="utf-8") as fh:
            got = json.load(fh)
    finally:
        shutil.rmtree(os.path.dirname(copy), ignore_errors=True)
    limit = ACTION.get(scale)
    t = ctx.table

    def put(key: str, values: list[float] | float) -> None:
        xs = values if isinstance(values, list) else [values]
        t.put(key, scale, spread(xs), None if limit is None else med(xs) <= limit)

    put("liaison-open", got["liaison_open"])
    put("liaison-tabs", [got[f"liaison_tab_{k}"] for k in ("links", "contacts", "coverage")])
    put("liaison-move", got["liaison_person_move"])
    put("save-app", got["save"])
    put("save-app-first", got["save_first_of_day"])
    put("dimension", got["dimension_switch"])
    put("search-key", got["search_key"])
    put("export-dialog", got["export_dialog"])
    for where in ("workspace", "liaison"):
        blocked = got[f"colleague_{where}_blocked"]
        t.put(f"colleague-{where}", scale, f"{spread(got[f'colleague_{where}_shown'])} / {spread(blocked)}",
              max(blocked) <= 0.100)
    t.put("full-gc", scale, f"{ms(got['full_gc'])} ({got['gc_tracked']:,} objects)".replace(",", " "), None)
    t.put("mem-interact", scale, f"{mb(got['vm_hwm_kb'])}; {mb(r['maxrss_kb'])} after the colleagues' saves", None)


def _export_db(ctx: Context) -> tuple[str, str, str]:
    """A database holding a 200-item report and a 1 000-row ledger (built once, in a child)."""
    path = os.path.join(ctx.out, "export.json")
    if not os.path.exists(path):
        ctx.piped([os.path.join(HERE, "figures_app.py"), "make-export-db", path])
    return path, "对照检查材料200项", "整改台账1000项"


def make_export_db(path: str) -> None:
    import sys

    sys.path.insert(0, ROOT)
    import gen_scale

    from storage import Database
    from storage.dates import today
    from storage.dimensions import DEFAULT_SET
    from storage.models import SUBJECT_GROUP, blank

    db = Database.open(path, user="bench")
    rng = random.Random(5)
    with db.transaction():
        camps = [blank("campaigns", name=name, kind="民主生活会", year=2025, organ="中共云海市政协党组",
                       signature="中共云海市政协党组", dimensions=DEFAULT_SET.copy(), dimension_set=DEFAULT_SET.key)
                 for name in ("对照检查材料200项", "整改台账1000项")]
        for c, uid in zip(camps, db.insert_many("campaigns", camps)):
            c["uid"] = uid
        leaders = ["陈立群", "李秀兰", "王建国", "赵海峰", "周文涛"]
        items = gen_scale._items(rng, camps[:1], 200, leaders, today()) + gen_scale._items(rng, camps[1:], 1000, leaders, today())
        for i in items:
            i["subject"] = SUBJECT_GROUP
        db.insert_many("items", items)
    db.backups()


def exports(ctx: Context, scale: float) -> None:
    path, report_c, ledger_c = _export_db(ctx)
    work = tempfile.mkdtemp(prefix="export-", dir=ctx.out)
    try:
        for kind, camp, limit, key in (("report", report_c, 1.0, "export-report"), ("ledger", ledger_c, 2.0, "export-ledger")):
            cmd = ["-m", "tui", "export", kind, "--db", path, "--campaign", camp, "--subject", "党组班子",
                   "-o", os.path.join(work, f"{kind}.docx"), "--force"]
            ctx.piped(cmd)
            secs = [ctx.piped(cmd)["seconds"] for _ in range(max(3, ctx.repeat // 2))]
            ctx.table.put(key, scale, spread(secs), med(secs) <= limit)
        pandoc = shutil.which("pandoc")
        if pandoc:
            md = os.path.join(work, "report.md")
            code = ("import sys; sys.path.insert(0, {root!r}); from storage import Database\n"
                    "from storage.queries import find_campaign, items_for\n"
                    "db = Database.open({path!r}, create=False); camp = find_campaign(db, {camp!r})\n"
                    "lines = ['# ' + camp['name'] + '对照检查材料', '']\n"
                    "for d in camp['dimensions']:\n"
                    "    lines += ['## 在' + d['title'] + '方面', '']\n"
                    "    lines += [f\"{{n}}. **{{i['title']}}。**{{i['manifestation']}}{{i['example']}}\" + chr(10)\n"
                    "              for n, i in enumerate(items_for(db, camp['uid'], d['key']), 1)]\n"
                    "open({md!r}, 'w', encoding='utf-8').write(chr(10).join(lines))\n")
            ctx.piped(["-c", code.format(root=ROOT, path=path, camp=report_c, md=md)])
            cmd2 = [pandoc, "-f", "markdown", "-t", "docx", "-o", os.path.join(work, "pandoc.docx"), md]
            ctx.launcher.piped(cmd2, ctx.env())
            secs = [ctx.launcher.piped(cmd2, ctx.env())["seconds"] for _ in range(max(3, ctx.repeat // 2))]
            ctx.table.put("export-pandoc", scale, ms(med(secs)), None)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if sys.argv[1] == "make-export-db":
        make_export_db(sys.argv[2])

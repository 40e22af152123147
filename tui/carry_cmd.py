"""`zhenggai carry --from C --to C [--dimension D] [--yes]`: 接续上年度.

Every item of the earlier campaign that is not 已销号 becomes an item of the
new campaign (by default in its 整改落实 dimension) linked to its origin; the
earlier campaign is not changed. Without --yes only the list is printed.
"""

from __future__ import annotations

import argparse


def main(args: argparse.Namespace) -> int:
    from storage.carry import carry_over, plan_carry, resolve_dimension
    from storage.queries import find_campaign

    from .cli import open_existing

    db = open_existing(args)
    src = find_campaign(db, args.source)
    dst = find_campaign(db, args.target)
    key = resolve_dimension(dst, args.dimension)
    dim = next(d for d in dst["dimensions"] if d["key"] == key)
    todo, already = plan_carry(db, src["uid"], dst["uid"])
    print(f"从“{src['name']}”接续到“{dst['name']}”的“{dim.get('short') or dim['title']}”维度：")
    for n, item in enumerate(todo, 1):
        who = "" if (item.get("subject") or "党组班子") == "党组班子" else f"〔{item['subject']}〕"
        print(f"  {n}. {who}{item.get('title', '')}（{item.get('status', '')}）")
    if already:
        print(f"已接续过、将跳过 {len(already)} 项。")
    if not todo:
        print("没有需要接续的事项（未销号的事项都已接续，或全部已销号）。")
        return 0
    if not args.yes:
        print(f"以上 {len(todo)} 项未销号，未写入任何数据。确认无误后加 --yes 接续。")
        return 0
    new = carry_over(db, src["uid"], dst["uid"], key)
    print(f"已接续 {len(new)} 项。原活动“{src['name']}”未作改动。")
    return 0

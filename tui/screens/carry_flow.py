"""接续上年度 for a campaign that already exists: pick the earlier campaign, the dimension, confirm.

(A new campaign offers the same in its form: tui/screens/campaign_form.py.)
"""

from __future__ import annotations

from typing import Any, Callable

from storage import ZhenggaiError


def start_carry(app, db, target_uid: str, done: Callable[[Any], None]) -> None:
    from storage.carry import carry_over, default_dimension, plan_carry

    from .campaign_form import carry_choices
    from .dialogs import ConfirmDialog
    from .menu import MenuScreen

    target = db.table_dict("campaigns").get(target_uid)
    if target is None:
        return
    sources = [(uid, label) for uid, label in carry_choices(db)[1:] if uid != target_uid]
    if not sources:
        app.notify("没有其他整改活动可以接续", severity="warning")
        return
    dims = target.get("dimensions") or []

    def picked_source(source: str | None) -> None:
        if not source:
            return
        options = [(d["key"], f"{d.get('short') or ''}｜{d.get('title', '')}") for d in dims]

        def picked_dim(key: str | None) -> None:
            if not key:
                return
            try:
                todo, already = plan_carry(db, source, target_uid)
            except ZhenggaiError as e:
                app.notify(str(e), severity="error")
                return
            if not todo:
                app.notify("没有需要接续的事项：未销号的事项都已接续，或全部已销号。", severity="warning")
                return
            name = db.table_dict("campaigns")[source].get("name", "")
            dim = next(d for d in dims if d["key"] == key)
            more = f"\n已接续过的 {len(already)} 项不再重复。" if already else ""
            message = (f"把“{name}”中未销号的 {len(todo)} 个事项接续到本活动的“{dim.get('short') or dim['title']}”维度？"
                       f"{more}\n原活动不作改动；新事项注明接续自何处。")

            def confirmed(ok: bool | None) -> None:
                if not ok:
                    return
                try:
                    new = carry_over(db, source, target_uid, key)
                except ZhenggaiError as e:
                    app.notify(str(e), title="未能接续", severity="error")
                    return
                app.notify(f"已接续 {len(new)} 个事项")
                done(key)

            app.push_screen(ConfirmDialog(message, confirm_label="接续", cancel_label="取消"), confirmed)

        app.push_screen(MenuScreen("接续到本活动的哪个维度", options, current=default_dimension(target)), picked_dim)

    app.push_screen(MenuScreen("从哪个活动接续未销号的事项", sources), picked_source)

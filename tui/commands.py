"""Command palette (Ctrl+P): the app's own commands, people (三联系) and items by title."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from storage.models import SUBJECT_GROUP

from . import lazy

# (action on the main screen, name, help)
MAIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("new_item", "新建整改事项", "在当前维度新建一个问题（n）"),
    ("edit_item", "编辑选中的事项", "打开表单（e 或 Enter）"),
    ("delete_item", "删除选中的事项", "需确认（d）"),
    ("status_action", "状态操作", "开始整改、申请销号、销号、驳回、重启（a）"),
    ("progress", "添加进展情况", "为选中的事项记一条进展（p）"),
    ("move", "移到另一个维度", "把选中的事项移到另一个维度（m）"),
    ("history", "修改记录", "谁在何时改了选中事项的什么（h）"),
    ("search", "搜索事项", "按问题、措施、姓名等搜索（/）"),
    ("filter", "筛选事项", "按状态、逾期、责任领导、责任部门（f）"),
    ("subject", "切换材料主体", "党组班子或个人（s）"),
    ("campaign", "整改活动", "编辑、新建、删除活动，编辑维度（c）"),
    ("outline", "材料段落", "前言、原因剖析、努力方向和改进措施（o）"),
    ("export", "导出文档", "对照检查材料、整改台账（Word/Excel）、整改方案、整改落实情况报告、三联系情况（x）"),
    ("import", "导入材料或台账", "对照检查材料 .docx/.txt，整改台账 .xlsx/.xls/.csv（i）"),
    ("carry", "接续上年度", "把上一活动中未销号的事项接续到本活动（c 菜单）"),
    ("liaison", "三联系工作", "人员、联系关系、联系记录、覆盖情况（l）"),
    ("toggle_sidebar", "隐藏或显示侧栏", "表格得到侧栏的宽度；下次打开时照旧（b）"),
    ("opinions", "征求意见", "会前征求的意见建议：列表、转为问题、导入导出（y）"),
    ("undo", "撤销上一项修改", "本次的修改、状态操作、进展、移动或删除；同事已改过则不撤销（Ctrl+Z）"),
    ("copy_item", "复制选中事项的内容", "问题、措施、责任人、时限、进展等，复制到剪贴板（Ctrl+C）"),
    ("sort", "排序方式", "按时限、状态、责任领导排序，或恢复默认顺序（t）"),
    ("set_sort('deadline')", "排序：按时限", "最近的时限在前，未定时限的在后（t）"),
    ("set_sort('status')", "排序：按状态", "未启动、整改中、待销号、已销号（t）"),
    ("set_sort('leader')", "排序：按责任领导", "按姓名拼音（t）"),
    ("set_sort('')", "排序：恢复默认顺序", "按序号，可用 K / J 调整（t）"),
)


MAX_ITEM_HITS = 15
MAX_PERSON_HITS = 10


class ZhenggaiCommands(Provider):
    """Commands of the screen in front, then (for what is typed) people and items.

    People and items come from storage.finder, which searches the persons table and the
    items' light rows (never the items file), so a keystroke stays fast at 10 000 items."""

    def _main(self):
        from .screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _on_full_screen(self) -> bool:
        """Called from the workspace or a screen like 三联系 (not from a form or dialog, whose
        work a jump elsewhere would leave behind)."""
        return not self.screen.is_modal and self._main() is not None

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        out: list[tuple[str, str, Callable[[], Any]]] = []
        main = self._main()
        if main is not None and self.screen is main:
            for action, name, help_text in MAIN_COMMANDS:
                out.append((name, help_text, partial(main.run_action, action)))
            for n, d in enumerate(main.dims(), 1):
                out.append((f"跳到维度：{d.get('short') or d.get('title', '')}", d.get("title", ""),
                            partial(main.action_dimension, n)))
            for c in main.campaigns():
                if c["uid"] != main.campaign_uid:
                    out.append((f"切换活动：{c.get('name', '')}", "在侧栏中打开该活动",
                                partial(self._switch_campaign, main, c["uid"])))
        if self.screen.__class__.__name__ == "LiaisonScreen":
            out.append(("查找人员", "按姓名、单位职务、界别、党派或拼音首字母（/）", partial(self.screen.run_action, "find_person")))
        out.append(("帮助：按键一览", "列出每个界面的全部按键（F1）", self.app.action_help))
        return out

    @staticmethod
    def _switch_campaign(main, uid: str) -> None:
        camp = main.db.table_dict("campaigns").get(uid)
        if camp is None:
            return
        main._after_campaign(camp)

    async def startup(self) -> None:
        from storage import pinyin

        if not pinyin.loaded():  # the initials table, read beside the first keystrokes
            import threading

            threading.Thread(target=pinyin.table, daemon=True, name="pinyin").start()

    async def discover(self) -> Hits:
        for name, help_text, cb in self._commands():
            yield DiscoveryHit(name, cb, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, cb in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), cb, help=help_text)
        main = self._main()
        if main is None or not query.strip() or not self._on_full_screen():
            return
        for hit in self._people(main, query, matcher):
            yield hit
        for hit in self._items(main, query, matcher):
            yield hit

    def _people(self, main, query: str, matcher) -> list[Hit]:
        from storage import pinyin
        from storage.finder import search_people

        out = []
        typed = query.strip().casefold()
        for p in search_people(main.db, query, initials=pinyin.loaded())[:MAX_PERSON_HITS]:
            name = p.get("name", "")
            facts = "·".join(x for x in (p.get("role", ""), p.get("unit_title") or p.get("sector", "")) if x)
            gone = "（已不在册）" if not p.get("active", True) else ""
            score = 0.9 if name.casefold().startswith(typed) else 0.6
            out.append(Hit(score, matcher.highlight(f"人员：{name}{gone}"), partial(self._open_person, main, p["uid"]),
                           text=f"人员：{name}", help=f"{facts} · 在三联系中打开"))
        return out

    def _items(self, main, query: str, matcher) -> list[Hit]:
        from storage.finder import find_items

        camps = main.db.table_dict("campaigns")
        out = []
        for row in find_items(main.db, query, main.campaign_uid, limit=MAX_ITEM_HITS):
            title = row.get("title", "")
            subject = row.get("subject") or ""
            shown = f"事项：{title}" if subject in ("", SUBJECT_GROUP) else f"事项：〔{subject}〕{title}"
            where = main.dim_label(row.get("dimension")) if row.get("campaign") == main.campaign_uid else \
                camps.get(row.get("campaign"), {}).get("name", "")
            out.append(Hit(0.5, matcher.highlight(shown), partial(self._open_item, main, row["uid"]), text=shown,
                           help=f"{where} · {row.get('status', '')} · 跳到该事项"))
        return out

    def _open_item(self, main, uid: str) -> None:
        """To the item in the workspace (from 三联系 and the like: back to the workspace first)."""
        while self.app.screen is not main and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        main.jump_to(uid)

    def _open_person(self, main, uid: str) -> None:
        """三联系 on the person: the one open, or a new one from the workspace."""
        screen = self.app.screen
        if screen.__class__.__name__ == "LiaisonScreen":
            screen.show_person(uid)
        else:
            lazy.push(self.app, "liaison", "LiaisonScreen", main.db, person=uid, callback=lambda _r: main.reload())

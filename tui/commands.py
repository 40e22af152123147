"""Command palette (Ctrl+P): the app's own commands, and items by title."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
)


class ZhenggaiCommands(Provider):
    def _main(self):
        from .screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

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
        out.append(("帮助：按键一览", "列出每个界面的全部按键（F1）", self.app.action_help))
        return out

    @staticmethod
    def _switch_campaign(main, uid: str) -> None:
        camp = main.db.table_dict("campaigns").get(uid)
        if camp is None:
            return
        main._after_campaign(camp)

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
        if main is None or self.screen is not main or not query.strip() or main.campaign_uid is None:
            return
        from storage.queries import search_items

        for item in search_items(main.db, query, main.campaign_uid)[:20]:
            title = item.get("title", "")
            yield Hit(0.5, f"打开事项：{title}", partial(main.jump_to, item["uid"]),
                      help=f"{main.dim_label(item.get('dimension'))} · {item.get('status', '')}")

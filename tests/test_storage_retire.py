"""storage/retire.py: a state swapped out is freed in the background a piece at a time, and
nothing that someone still holds is taken apart."""

from __future__ import annotations

from storage import retire
from storage.lines import Layout, LazyTable
from storage.shardfile import BytesSource

popped: list[int] = []


class Counting(dict):
    """A dict that counts the entries taken out of it one at a time."""

    def popitem(self):
        popped.append(1)
        return super().popitem()


def test_what_nobody_else_holds_is_taken_apart_and_what_a_caller_holds_is_left_whole():
    popped.clear()
    held = {"p1": {"name": "张三"}}  # a table a screen still reads
    light = Counting({f"c{n}": f"l\x1f2026-01-0{n % 9 + 1}" for n in range(2000)})
    inner = {"a": [1, 2, 3]}
    seen = inner["a"]  # a caller holds this list, not the dict around it
    lay = Layout()
    lay.keys = Counting({f"c{n}": n for n in range(3000)})
    state = {"persons": held, "light": light, "nested": inner, "contacts": LazyTable(BytesSource(b""), lay)}
    del light, inner, lay
    retire._dismantle(state)
    assert state == {}
    assert len(popped) == 2000 + 3000  # the light rows and the table's key map, entry by entry
    assert held == {"p1": {"name": "张三"}} and seen == [1, 2, 3]  # left whole


def test_a_lazy_table_someone_still_reads_keeps_its_keys():
    lay = Layout()
    lay.keys.update({"c1": 0})
    table = LazyTable(BytesSource(b""), lay)
    retire._dismantle({"contacts": table})
    assert table.layout.keys == {"c1": 0}

"""Not implemented yet."""

from storage.errors import ZhenggaiError


def main(args) -> int:
    raise ZhenggaiError("该命令尚未实现。")

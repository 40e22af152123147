"""Textual widgets of the zhenggai TUI."""

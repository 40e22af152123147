"""Textual screens of the zhenggai TUI."""

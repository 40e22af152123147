"""Document writers (.docx in the GB/T 9704 official format).

Importing this package is cheap: python-docx is imported only by the writer
modules, which are loaded when an export actually runs (see ``writers.export``).
"""

"""Provincial consolidation (SPEC 5): district workbooks -> one provincial workbook.

``run.main`` is the CLI entry; ``run.consolidate`` does the work and returns the result
without printing, for scripts and tests.
"""

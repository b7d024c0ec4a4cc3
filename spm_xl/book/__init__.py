"""Reading and writing the workbook contract: safe open, reader, templates, outputs."""

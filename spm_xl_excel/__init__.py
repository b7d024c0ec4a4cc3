"""The Excel side of spm-xl: xlwings entry points for the buttons, worksheet functions, VBA."""

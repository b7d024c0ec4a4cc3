"""``spm-xl tren``: series over quarters and years from provincial consolidations (issue 9)."""

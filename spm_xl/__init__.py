"""spm-xl: SPM Bidang Sosial needs (kebutuhan) and achievement (capaian) in one workbook."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

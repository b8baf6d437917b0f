"""Summarize stage: bilingual text per file and per page, offline or by a model."""

from .base import PageInput, SummarizedFile, Summarizer
from .offline import OfflineSummarizer

__all__ = ["OfflineSummarizer", "PageInput", "SummarizedFile", "Summarizer"]

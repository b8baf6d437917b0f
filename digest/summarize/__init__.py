"""Summarize stage: bilingual text per file and per page, offline or by a model."""

from digest.summarize.base import PageInput, SummarizedFile, Summarizer
from digest.summarize.offline import OfflineSummarizer

__all__ = ["OfflineSummarizer", "PageInput", "SummarizedFile", "Summarizer"]

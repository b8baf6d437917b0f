"""docs digest: daily bilingual digests of the Azure AI documentation changes."""

__version__ = "0.1.0"

"""Site stage: MkDocs builds both languages, then history pages, feeds and the search bundles are written."""

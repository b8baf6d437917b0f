"""What several stages know of the docs repository: path kinds, Learn URLs, includes, redirects, blobs."""

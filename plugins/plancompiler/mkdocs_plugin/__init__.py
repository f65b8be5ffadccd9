"""MkDocs adapter: the `plans` plugin."""

"""The back end: Markdown pages, Mermaid graphs and the JSON export, from the compiled model."""

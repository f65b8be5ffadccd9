"""Git-native review: semantic diffs, base-revision rules, dates from history, scaffolding."""

"""The `plans` commands, one module each; `plancompiler.cli` dispatches to them."""

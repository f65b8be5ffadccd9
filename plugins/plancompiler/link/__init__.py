"""The link stage of the compiler."""

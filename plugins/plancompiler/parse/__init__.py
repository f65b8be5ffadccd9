"""The parse stage of the compiler."""

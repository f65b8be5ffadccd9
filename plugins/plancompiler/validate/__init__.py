"""The validate stage of the compiler."""

"""Models of routing."""

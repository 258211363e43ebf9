"""schema/models."""

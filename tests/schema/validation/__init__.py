"""Tests of schema.validation."""

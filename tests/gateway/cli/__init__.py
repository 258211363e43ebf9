"""Tests of the yipanqi command."""

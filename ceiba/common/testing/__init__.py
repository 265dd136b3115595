"""Helpers for the test suite: permission-matrix generation and signed-in clients."""

"""Ceiba: an open platform for regional security cooperation in the Americas."""

__version__ = "0.1.0"

"""Setka: the network of the educational institutions of a municipality."""

__version__ = "0.1.0"

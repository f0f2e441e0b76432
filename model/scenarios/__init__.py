"""Bundled scenario files (TOML); loaded by :mod:`model.scenario`."""

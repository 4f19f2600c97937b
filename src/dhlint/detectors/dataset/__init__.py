"""Detectors for data files (``language: dataset``): they read counts, never values."""

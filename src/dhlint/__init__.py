"""dhlint: a data-handling compliance linter for city data pipelines and infrastructure."""

__version__ = "0.1.0"

"""Data files and schemas: read column names and (bounded) values without ever reporting them.

- :mod:`dhlint.datasets.schema` finds the columns of a names list, CSV/TSV, JSON lines, JSON
  array, Parquet (with pyarrow), dbt ``schema.yml`` or SQL ``CREATE TABLE`` with positions;
- :mod:`dhlint.datasets.rows` streams at most ``max_rows`` rows of the data formats;
- :mod:`dhlint.datasets.profile` reduces those rows to counts (coordinate decimals, contact
  patterns, sizes of quasi-identifier groups) so that no personal value leaves the profiler.
"""

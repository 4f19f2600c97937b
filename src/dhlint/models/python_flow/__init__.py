"""The mixins ``python_dataflow.Analyzer`` is made of, one concern a module (``common``
holds what several share; ``scans`` reads a module's tree ahead of the runs). The
analysis's runs, scopes, state and bounds stay in ``python_dataflow``.
"""

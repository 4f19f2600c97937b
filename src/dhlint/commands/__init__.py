"""Sub-commands. Each module has ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``."""

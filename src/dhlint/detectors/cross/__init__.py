"""Cross-artifact detectors: ``detect(workspace: Workspace, ctx) -> Iterable[Hit]``, run once in
the parent process over the inventory facts of every model (``dhlint.inventory``)."""

"""The cross-artifact inventory: facts per model, their join, and the inventory report.

- ``facts.extract(language, model)``: small JSON-compatible facts from one model (run inside each
  unit, cached with the unit's findings);
- ``join``: Python storage writes matched to Terraform stores, env vars read by Python matched to
  the values manifests set, manifests' commands matched to the scripts they run;
- ``report``: the inventory document (JSON) and its Markdown/Mermaid rendering.
"""

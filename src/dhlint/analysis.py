"""The contract between the engine and the language packs.

Each language has a model builder module (``dhlint.models.<language>``) with one entry point::

    def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult

It parses the files (through ``dhlint.frontends.<language>``, the only code that knows a
parser), groups them into units (a Terraform module directory, a Kubernetes tree, a Python
file) and returns one model object per unit. Models are plain, picklable objects.

Detectors are functions named in the rule catalogue as ``<language>.<module>`` (function
``detect``) or ``<language>.<module>:<function>``; they live in
``dhlint.detectors.<language>.<module>`` and are imported only when a selected rule needs them::

    def detect(model, ctx: Context) -> Iterable[Hit]

A detector receives every model of its language and yields hits for the ones it judges.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dhlint.types import Diagnostic, Hit, SourceFile

if TYPE_CHECKING:
    from dhlint.catalog import Rule
    from dhlint.policy import Policy

LANGUAGES: tuple[str, ...] = ("terraform", "kubernetes", "python", "dataset")


@dataclass
class BuildEnv:
    """What a model builder may use besides the files themselves."""

    policy: Policy
    root: str  # absolute path of the repository root
    var_files: Sequence[str] = ()  # Terraform --var-file paths (absolute)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class BuildResult:
    models: list[Any] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Absolute paths the builder read beyond the files it was given (a local Terraform module
    # outside the scanned paths): the result cache re-checks them before reusing a result.
    extra_inputs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a detector knows besides the model: its rule (for ``params``) and the policy."""

    rule: Rule
    policy: Policy

    @property
    def params(self) -> dict[str, Any]:
        return self.rule.params


@dataclass
class Workspace:
    """What cross-artifact detectors (``cross.<module>``) see: the inventory facts of every
    model of the run, by language (``dhlint.inventory.facts.extract`` makes them), so that
    Python code, Terraform and manifests can be joined without parsing anything again."""

    facts: dict[str, list[dict]] = field(default_factory=dict)
    root: str = ""
    # the paths of the run's files by language (a Lambda handler's module is matched to the
    # one file of the tree it can be, see ``inventory.join.runs``)
    files: dict[str, list[str]] = field(default_factory=dict)
    # A pre-commit run's Terraform context, read for those names only when a host is judged
    # (``dhlint.inventory.own_context.HostContext``); None when there is none to read.
    host_context: Callable[[list], list[dict]] | None = None


Detector = Callable[[Any, Context], Iterable[Hit]]
ModelBuilder = Callable[[Sequence[SourceFile], BuildEnv], BuildResult]


def load_detector(name: str) -> Detector:
    """Resolve ``terraform.s3_encryption`` or ``terraform.values:check`` to its function."""
    module_name, _, func = name.partition(":")
    module = importlib.import_module(f"dhlint.detectors.{module_name}")
    return getattr(module, func or "detect")


def load_builder(language: str) -> ModelBuilder:
    module = importlib.import_module(f"dhlint.models.{language}")
    return module.build_models

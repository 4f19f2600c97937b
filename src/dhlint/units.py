"""Units of work: build a model and run the enabled detectors on it, in a process pool if it pays.

A unit is what one model builder call sees: a Python file, a data file, or (by default) all the
files of a language that needs cross-file context (a Terraform tree with its modules, all
Kubernetes manifests). A language's model module may define ``units(files)`` to split further.
Units run in order and their results are merged in that order, so the output is the same with one
worker or many. Each unit has a time limit; a unit over it is reported, never silently dropped.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import re
import signal
import threading
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dhlint.analysis import BuildEnv, Context, Detector, load_builder, load_detector
from dhlint.cache import Cache, unit_key
from dhlint.catalog import SEVERITY_LEVELS, Rule
from dhlint.compiled import save_dataclass_code
from dhlint.policy import Policy
from dhlint.types import Diagnostic, Finding, Hit, SourceFile

PER_FILE_LANGUAGES = ("python", "dataset")
MIN_UNITS_FOR_POOL = 8  # below this, starting workers costs more than it saves


@dataclass
class Job:
    """Everything a worker needs; plain and picklable."""

    policy: Policy
    rules: tuple[Rule, ...]  # enabled rules that have a detector
    env: BuildEnv
    timeout: float = 60.0
    # Extract inventory facts from every model (for cross-artifact rules and `dhlint inventory`).
    collect_facts: bool = False
    # Read the Terraform's names even for rules of other languages: an enabled rule reports
    # vendor hosts, and the city's own are not vendors (``dhlint.inventory.own_hosts``).
    own_hosts: bool = False
    # A unit read only for the names of the city's resources (a pre-commit run's Terraform
    # context, ``dhlint.inventory.own_context``): no rules, no facts but those names.
    names_only: bool = False
    # ``checks`` per language, derived from ``rules``; not pickled (a worker makes its own).
    _checks: dict[str, list[tuple[Rule, Context]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def checks(self, language: str) -> list[tuple[Rule, Context]]:
        """The enabled rules of ``language``, each with the context its detector gets: made
        once per job and process, not once per unit (a run has thousands of units)."""
        if language not in self._checks:
            self._checks[language] = [
                (rule, Context(rule=rule, policy=self.policy))
                for rule in self.rules
                if detector_language(rule) == language
            ]
        return self._checks[language]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_checks": {}}

    def salt(self) -> str:
        """What, besides the files, decides a unit's result (for the cache key)."""
        import hashlib

        from dhlint.cache import file_digest

        var_files = [f"{p}={file_digest(p)}" for p in self.env.var_files]
        rules = repr(self.rules)
        key = (
            f"{self.policy.hash}\0{rules}\0{var_files}\0{self.collect_facts}\0{self.own_hosts}"
            f"\0{self.names_only}\0{sorted(self.env.options.items())}"
        )
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class UnitResult:
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    extra_inputs: list[str] = field(default_factory=list)  # files read beyond the unit
    facts: list[dict] = field(default_factory=list)  # inventory facts, JSON-compatible
    # (path, what a rule may judge there): see the models' ``subjects``.
    subjects: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    language: str
    files: tuple[SourceFile, ...]


class UnitTimeout(BaseException):
    """Raised by the alarm inside a unit; a BaseException so detectors' handlers don't eat it."""


def detector_language(rule: Rule) -> str:
    return rule.detector.split(".", 1)[0]


def _severity(rule: Rule, policy: Policy) -> str:
    overrides = policy.severity_overrides
    if rule.id in overrides:
        return overrides[rule.id]
    for alias in rule.aliases:
        if alias in overrides:
            return overrides[alias]
    return rule.severity


def make_finding(rule: Rule, policy: Policy, hit: Hit) -> Finding:
    severity = _severity(rule, policy)
    return Finding(
        rule_id=rule.id,
        level=SEVERITY_LEVELS[severity],
        severity=severity,
        message=rule.format_message(hit.args),
        location=hit.location.normalized(),
        anchor=hit.anchor,
        scope=hit.scope,
        related=hit.related,
        flow=hit.flow,
        hosts=hit.hosts,
        args=dict(hit.args) if hit.hosts else {},
    )


def plan_units(files: Sequence[SourceFile], job: Job) -> list[Unit]:
    needed = {detector_language(r) for r in job.rules}
    if job.collect_facts:  # cross rules and `dhlint inventory` need every language's facts
        needed |= {"terraform", "kubernetes", "python"}
    if job.own_hosts:
        needed.add("terraform")
    by_language: dict[str, list[SourceFile]] = {}
    for source in files:
        if source.language in needed:
            by_language.setdefault(source.language, []).append(source)
    units = []
    for language in sorted(by_language):
        group = sorted(by_language[language], key=lambda f: f.path)
        splitter = _splitter(language)
        if splitter is not None:
            units += [Unit(language, tuple(part)) for part in splitter(group)]
        elif language in PER_FILE_LANGUAGES:
            units += [Unit(language, (source,)) for source in group]
        else:
            units.append(Unit(language, tuple(group)))
    return units


def _splitter(language: str):
    try:
        module = importlib.import_module(f"dhlint.models.{language}")
    except ModuleNotFoundError:
        return None
    return getattr(module, "units", None)


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM-based limit (Unix, main thread); elsewhere no limit rather than no result."""
    usable = (
        seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    previous = _set_handler(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _set_handler(signal.SIGALRM, previous)


def _alarm(signum, frame):
    raise UnitTimeout


# ``signal.signal`` without its conversion of handlers to and from enums, which raises and
# catches two exceptions per call for a function handler: three quarters of the limit's cost,
# twice per unit (some 15 ms of a run on bench/corpus/terraform's 527 units). The C function
# it wraps takes and gives back the same handlers (SIG_DFL and SIG_IGN as ints).
try:
    from _signal import signal as _set_handler
except ImportError:  # not CPython
    _set_handler = signal.signal


def internal(what: str, exc: BaseException, path: str = "") -> Diagnostic:
    return Diagnostic(
        path,
        f"internal error in {what}: {type(exc).__name__}: {exc} (please report this)",
        kind="internal",
    )


def run_unit(job: Job, unit: Unit) -> UnitResult:
    """Build the unit's models, run its language's detectors, and extract inventory facts."""
    out = UnitResult()
    try:
        with _time_limit(job.timeout):
            try:
                built = load_builder(unit.language)(unit.files, job.env)
            except Exception as exc:  # a bug in dhlint must not hide the other units
                # A one-file unit (every Python file is one) names its file.
                path = unit.files[0].path if len(unit.files) == 1 else ""
                what = f"{unit.language} model builder"
                return UnitResult(diagnostics=[internal(what, exc, path)])
            out.diagnostics.extend(built.diagnostics)
            out.extra_inputs.extend(getattr(built, "extra_inputs", ()) or ())
            # A Terraform model of another environment's tfvars file (``var_file``) adds only
            # the findings whose value that file gives (a related location or flow step in
            # it); what it holds besides is the root model's, which says it.
            models = [m for m in built.models if not getattr(m, "var_file", "")]
            found: set[tuple[str, str]] = set()
            for model in models:
                subjects = getattr(model, "subjects", None)  # Terraform's and Kubernetes's
                if subjects is not None:
                    found |= subjects()
            out.subjects = sorted(found)
            for rule, ctx in _checks_for(job.checks(unit.language), built.models):
                try:
                    detect, judged = _detector_of(rule, ctx)
                    said: dict[tuple, dict] = {}  # (location, anchor) -> the args given there
                    defaults: set[tuple] = set()  # the root models' (location, block anchor)
                    for model in built.models:
                        if judged is not None and model.types().isdisjoint(judged):
                            continue  # none of what it judges (most models, for most rules)
                        hits = list(detect(model, ctx))
                        if not hits:  # most rules, in most models: nothing more to do
                            continue
                        merge = getattr(model, "merge_instances", None)  # Terraform's
                        if merge is not None:
                            hits = merge(hits)
                        var_file = getattr(model, "var_file", "")
                        if var_file:
                            hits = _of_file(model, hits, models, defaults)
                            hits = [_of_environment(h, var_file, said) for h in hits]
                        elif len(built.models) > 1:
                            for h in hits:
                                said.setdefault((h.location, h.anchor), h.args)
                                defaults.add((h.location, _block_anchor(h.anchor)))
                        out.findings.extend(make_finding(rule, job.policy, h) for h in hits)
                except Exception as exc:
                    out.diagnostics.append(internal(f"rule {rule.id} ({rule.name})", exc))
            if job.names_only:
                _collect_names(models, out)
            elif job.collect_facts:
                _collect_facts(unit.language, models, out)
                if len(models) < len(built.models):
                    _environment_facts(models, built.models, out)
            elif job.own_hosts and unit.language == "terraform":
                _collect_names(models, out)  # all that the city's own hosts need
    except UnitTimeout:
        message = (
            f"not fully checked: analysis took longer than {job.timeout:g} s "
            "(raise the limit with --timeout)"
        )
        return UnitResult(
            diagnostics=[Diagnostic(f.path, message, kind="timeout") for f in unit.files]
        )
    return out


def _detector_of(rule: Rule, ctx: Context) -> tuple[Detector, Container[str] | None]:
    """A rule's detector, and the resource types it judges when the detector says them (its
    ``judged_types``): it finds nothing in a model holding none, which is then not asked
    (``values.detect``'s rules, 40 of them, were asked of every model, to return at once from
    all but a few); None: every model is asked. Asked once per unit: made once per rule."""
    entry = _JUDGED.get(id(ctx))
    if entry is None or entry[0] is not ctx:
        detect = _detector(rule.detector)
        judged = getattr(detect, "judged_types", None)
        if len(_JUDGED) >= 2_000:  # a process running many checks (tests, a server)
            _JUDGED.clear()
        entry = _JUDGED[id(ctx)] = (ctx, detect, judged(ctx) if judged is not None else None)
    return entry[1], entry[2]


_JUDGED: dict[int, tuple[Context, Detector, Container[str] | None]] = {}


def _checks_for(checks: list[tuple[Rule, Context]], models: list) -> list[tuple[Rule, Context]]:
    """The checks that may find something in these models: those whose detector says the
    types it judges (``_detector_of``) and none of which the models hold are left out, in
    ``run_unit``'s order. Each unit of a Terraform run holds a few types; most of its rules
    judge others, and looping over them all, to skip them model by model, was some 2% of a
    run of bench/corpus/terraform."""
    index = _by_judged_type(checks)
    if index is None:
        return checks
    always, by_type = index
    wanted = set(always)
    for model in models:
        types = getattr(model, "types", None)
        if types is None:  # a model that cannot say its types: every check is asked of it
            return checks
        for type_ in types():
            wanted.update(by_type.get(type_, ()))
    return [check for i, check in enumerate(checks) if i in wanted]


def _by_judged_type(
    checks: list[tuple[Rule, Context]],
) -> tuple[list[int], dict[str, list[int]]] | None:
    """The positions of the checks asked of every model, and of those judging each type;
    None when no detector says its types (every check is asked). Made once per list."""
    entry = _INDEXES.get(id(checks))
    if entry is not None and entry[0] is checks:
        return entry[1]
    always: list[int] = []
    by_type: dict[str, list[int]] = {}
    for i, (rule, ctx) in enumerate(checks):
        try:
            judged = _detector_of(rule, ctx)[1]
        except Exception:  # run_unit reports it, unit by unit, as for any other rule
            judged = None
        if judged is None:
            always.append(i)
        else:
            for type_ in judged:
                by_type.setdefault(type_, []).append(i)
    index = (always, by_type) if by_type else None
    if len(_INDEXES) >= 100:  # a process running many jobs (tests, a server)
        _INDEXES.clear()
    _INDEXES[id(checks)] = (checks, index)
    return index


_INDEXES: dict[int, tuple[list, tuple[list[int], dict[str, list[int]]] | None]] = {}


def _from_file(hit: Hit, path: str) -> bool:
    return any(r.location.path == path for r in (*hit.related, *hit.flow))


def _of_file(model: Any, hits: Iterable[Hit], roots: list, defaults: set[tuple]) -> list[Hit]:
    """An environment model's hits that its tfvars file gives: a value location in it, or a
    hit the root model has nowhere at that place (its instances' block's anchor alike), which
    the file's values caused by making something absent (probe39 #2; related to the
    variable's assignment there, ``TerraformModel.environment_cause``)."""
    var_file = model.var_file
    default = next((m for m in roots if m.directory == model.directory), None)
    out = []
    for hit in hits:
        if _from_file(hit, var_file):
            out.append(hit)
        elif (hit.location, _block_anchor(hit.anchor)) not in defaults:
            cause = model.environment_cause(hit, default)
            out.append(replace(hit, related=(*hit.related, cause)))
    return out


def _block_anchor(anchor: str) -> str:
    """An anchor without instance keys (``module.b["a"].x`` -> ``module.b.x``): one instance's
    finding is the one its block's merged finding says."""
    if "[" not in anchor:
        return anchor
    return _INSTANCE_KEYS.sub("", anchor)


_INSTANCE_KEYS = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')


def _of_environment(hit: Hit, var_file: str, said: dict[tuple, dict]) -> Hit:
    """An environment's hit where the root model (or an environment before it) already has
    one saying something else (prod's 1095 days where the default's are 400) is a finding of
    its own: its anchor names the environment's file, so that it is not merged into the
    other (one place, one anchor: reported once) and a baseline tells the two apart. The same
    hit as the first's stays as it is (reported once); one alone keeps its anchor."""
    key = (hit.location, hit.anchor)
    first = said.setdefault(key, hit.args)
    if first == hit.args:
        return hit
    return replace(hit, anchor=f"{hit.anchor} [{var_file}]")


_DETECTORS: dict[str, Detector] = {}


def _detector(name: str) -> Detector:
    """``load_detector``, remembered (it imports the module by name on each call)."""
    detect = _DETECTORS.get(name)
    if detect is None:
        detect = _DETECTORS[name] = load_detector(name)
    return detect


def _collect_facts(language: str, models: list, out: UnitResult) -> None:
    try:
        from dhlint.inventory.facts import extract
    except ModuleNotFoundError:
        return
    for model in models:
        try:
            facts = extract(language, model)
        except Exception as exc:
            out.diagnostics.append(internal(f"inventory facts for {language}", exc))
            continue
        if facts:
            out.facts.append({"language": language, "facts": facts})


def _environment_facts(models: list, built: list, out: UnitResult) -> None:
    """The stores each root module's other environments name otherwise (``facts.
    environment_stores``)."""
    from dhlint.inventory.facts import environment_stores

    for model in models:
        others = [m for m in built if getattr(m, "var_file", "") and m.directory == model.directory]
        try:
            facts = environment_stores(model, others) if others else None
        except Exception as exc:
            out.diagnostics.append(internal("inventory facts for terraform", exc))
            continue
        if facts:
            out.facts.append({"language": "terraform", "facts": facts})


def _collect_names(models: list, out: UnitResult) -> None:
    """The ``defines`` facts of Terraform models only (``Job.names_only``, and a run whose
    vendor hosts are judged but which collects no other facts)."""
    from dhlint.inventory.own_hosts import defines

    for model in models:
        try:
            names = defines(model)
        except Exception as exc:
            out.diagnostics.append(internal("inventory facts for terraform", exc))
            continue
        if names:
            out.facts.append({"language": "terraform", "facts": {"defines": names}})


_WORKER_JOB: Job | None = None


# Parse trees are millions of short-lived objects with almost no reference cycles. With the
# collector's default thresholds (a young collection every 700 allocations, a full one every
# hundred young ones or so) a run spent 10-15% of its time re-scanning live trees for nothing.
# A young collection costs about a microsecond per live object it scans (the unit's trees and
# every finding and fact kept since the last one): at 50,000, the 2,001 files of the benchmark's
# Terraform spent 0.15-0.2 s in 6 of them. At 500,000 a run of that size makes none, for 17 MB
# more at its peak (cycles freed later); a larger run collects a tenth as often.
GC_THRESHOLDS = (500_000, 20, 100)


def tune_gc() -> None:
    """For a process that runs checks (the CLI, a pool worker): collect less often."""
    gc.set_threshold(*GC_THRESHOLDS)


def _init_worker(job: Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    tune_gc()  # a spawned worker starts with the defaults; a forked one has them already
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _run_in_worker(units: list[Unit]) -> list[UnitResult]:
    assert _WORKER_JOB is not None
    try:
        return [run_unit(_WORKER_JOB, unit) for unit in units]
    finally:
        save_dataclass_code()  # a worker's imports: kept for the next run, as the parent's


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_units(
    units: list[Unit], job: Job, cache: Cache | None, jobs: int = 0
) -> Iterator[UnitResult]:
    """Results per unit, in unit order (cache hits looked up first, misses computed)."""
    salt = job.salt() if cache is not None else ""
    keys = [unit_key(u.language, list(u.files), salt) if cache else "" for u in units]
    cached = [cache.get(k) if cache else None for k in keys]
    pending = [i for i, hit in enumerate(cached) if hit is None]
    workers = jobs or default_jobs()
    use_pool = workers > 1 and (len(pending) >= MIN_UNITS_FOR_POOL or (jobs > 1 and pending))
    computed: dict[int, UnitResult] = {}
    if use_pool:
        computed = _run_pool([units[i] for i in pending], pending, job, min(workers, len(pending)))
    else:
        for i in pending:
            computed[i] = run_unit(job, units[i])
    for i in range(len(units)):
        hit = cached[i]
        if hit is not None:
            yield UnitResult(hit.findings, hit.diagnostics, [], hit.facts, hit.subjects)
            continue
        result = computed[i]
        if cache is not None:
            cache.put(keys[i], result)
        yield result


def _run_pool(
    units: list[Unit], indexes: list[int], job: Job, workers: int
) -> dict[int, UnitResult]:
    import multiprocessing  # only when there is enough work for several processes

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    results: dict[int, UnitResult] = {}
    broken = _pool_round(units, _tasks(units, workers), job, workers, context, results, False)
    # A worker that dies (a crash in a parser's native code, the out-of-memory killer) breaks
    # the whole pool, and every unit not yet done fails with it. Those are run again in a new
    # pool, one unit a task, then any that fail again one process each: only the unit that
    # kills its process is lost, and it is named in a diagnostic.
    if broken:
        broken = _pool_round(units, [[k] for k in broken], job, workers, context, results, False)
    for k in broken:
        _pool_round(units, [[k]], job, 1, context, results, isolate=True)
    return {indexes[k]: result for k, result in results.items()}


# A Python file's analysis reads the project modules it imports (``python_imports``: each
# process keeps the last few read). Handed out one by one, the files of every package went to
# every worker, which read nearly all the modules each: two workers spent 1.7 times the CPU of
# one on packages whose modules import one another. Runs of neighbouring files (in path order:
# a package's together) go to one worker instead, a few runs per worker so that the work still
# spreads.
_RUNS_PER_WORKER = 4


def _tasks(units: list[Unit], workers: int) -> list[list[int]]:
    """The pool's tasks (lists of indexes of ``units``), biggest first, so that one large
    Terraform tree does not finish last on an idle pool: a unit each, but Python files in runs
    of neighbours (``units`` lists them in path order)."""
    size = [sum(len(f.text) for f in unit.files) for unit in units]
    python = [k for k, unit in enumerate(units) if unit.language == "python"]
    tasks = [[k] for k, unit in enumerate(units) if unit.language != "python"]
    target = sum(size[k] for k in python) / (workers * _RUNS_PER_WORKER)
    run: list[int] = []
    total = 0
    for k in python:
        run.append(k)
        total += size[k]
        if total >= target:
            tasks.append(run)
            run, total = [], 0
    if run:
        tasks.append(run)
    return sorted(tasks, key=lambda task: -sum(size[k] for k in task))


def _pool_round(
    units: list[Unit],
    tasks: list[list[int]],
    job: Job,
    workers: int,
    context,
    results: dict[int, UnitResult],
    isolate: bool,
) -> list[int]:
    """Run ``units[k]`` for the ``k`` of each task (in order, in one worker) in a new pool,
    into ``results``; the units lost to a broken pool, or to a task of several units that
    failed otherwise, are returned (with ``isolate``, they get a diagnostic instead)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(job,),
    )
    broken: list[int] = []
    try:
        futures = [
            (task, executor.submit(_run_in_worker, [units[k] for k in task])) for task in tasks
        ]
        for task, future in futures:
            try:
                results.update(zip(task, future.result(), strict=True))
            except BrokenProcessPool as exc:
                if not isolate:
                    broken += task
                    continue
                what = "a worker process, which died while checking this unit"
                for k in task:
                    diags = [internal(what, exc, f.path) for f in units[k].files]
                    results[k] = UnitResult(diagnostics=diags)
            except Exception as exc:  # e.g. a result that could not be sent back
                if len(task) > 1:  # the unit it was: found when run alone
                    broken += task
                    continue
                diags = [internal("a worker process", exc, f.path) for f in units[task[0]].files]
                results[task[0]] = UnitResult(diagnostics=diags)
        executor.shutdown()
        return broken
    except BaseException:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise

"""Reduce a data file's rows to counts. No personal value is kept or returned.

Per column: the name's identifier class, how many values look like emails, phone numbers or
SSNs, and for coordinates (by name, or by values such as ``POINT (-94.58 39.09)`` and
``(39.09, -94.58)``) how many values have each number of decimals. Across the
quasi-identifier columns: how many groups of each size the combinations of values form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dhlint.datasets.rows import Row
from dhlint.datasets.schema import Column
from dhlint.identifiers import QUASI_CATEGORIES, IdentifierMatch, classify_name, counts_people

# A match starts only at the start of a run of local-part characters: the scan stays linear.
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# Formatted phone numbers only (separators required): bare 10-digit ids are not phones.
PHONE = re.compile(
    r"(?<![\w.])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w.]|-\d)"
    r"|(?<![\w.])\+\d{1,3}(?:[\s.-]\d{2,4}){2,4}(?![\w.])"
)
SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
MAC = re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w.])")
VIN = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])")
_VIN_VALUES = dict(
    zip(
        "0123456789ABCDEFGHJKLMNPRSTUVWXYZ",
        [*range(10), *range(1, 9), *range(1, 6), 7, 9, *range(2, 10)],
        strict=True,
    )
)
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def is_vin(text: str) -> bool:
    """A 17-character VIN with a valid check digit (North American vehicles since 1981)."""
    if len(text) != 17 or not any(c.isalpha() for c in text):
        return False
    total = sum(_VIN_VALUES[c] * w for c, w in zip(text, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return text[8] == ("X" if check == 10 else str(check))


# A coordinate in degrees as written: at most 3 integer digits and a fraction.
DEGREES = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d+)(?![\d.])")
_POINT = re.compile(r"(?i)^\s*(?:srid=\d+;\s*)?point\s*\(\s*-?\d")
# Matched against value.strip(), and with no two white-space runs side by side: a cell of
# thousands of spaces made ``\s*[,;\s]\s*`` try every split of the run.
_PAIR = re.compile(r"(?:[\[(]\s*)?-?\d{1,3}\.\d+(?:\s*[,;]\s*|\s+)-?\d{1,3}\.\d+\s*[\])]?\Z")
MAX_CELL = 4000  # characters of a cell searched for patterns
# A column holding how many people a row stands for (an aggregate table's cells): ``count``,
# ``n``, ``cases``, ``total``, ``case_count``, ``n_patients``, ``num_trips``, ``count_f``; or
# the people counted (``registrants``, ``patients``: ``identifiers.counts_people``).
COUNT_NAME = re.compile(
    r"(?i)\A(?:count|counts|n|cases|total|freq|frequency|"
    r"\w+_count|count_\w+|n_\w+|num_\w+|number_of_\w+|\w+_cases|total_(?:count|cases))\Z"
)
# What a published table writes in place of a suppressed cell.
SUPPRESSED = re.compile(r"(?i)(?:\*+|<=?\s*\d+|-+|\.|s|suppressed|n/?a|null)\Z")
SMALL_CELLS_KEPT = 5  # rows of small cells named in a finding


def effective_decimals(fraction: str) -> int:
    """Decimals a value really carries: trailing zeros and float noise do not count."""
    if len(fraction) > 12:  # 41.880000000000003 is 41.88 written by a float
        fraction = f"{float('0.' + fraction):.10f}"[2:]
    return len(fraction.rstrip("0"))


@dataclass
class ColumnProfile:
    name: str
    line: int
    col: int
    match: IdentifierMatch | None
    values: int = 0  # non-empty values read
    emails: int = 0
    phones: int = 0
    ssns: int = 0
    macs: int = 0
    ips: int = 0
    vins: int = 0
    shaped_coordinates: int = 0  # values written as a point or a lat/lon pair
    degree_values: int = 0  # values holding at least one coordinate in degrees
    decimals: dict[int, int] = field(default_factory=dict)  # most decimals in a value -> count

    @property
    def category(self) -> str | None:
        return self.match.category if self.match else None

    @property
    def coordinates_by_value(self) -> bool:
        return self.values > 0 and self.shaped_coordinates >= 0.8 * self.values

    @property
    def is_location(self) -> bool:
        return self.category == "location" or self.coordinates_by_value

    def values_over(self, decimals: int) -> int:
        return sum(n for d, n in self.decimals.items() if d > decimals)

    @property
    def max_decimals(self) -> int:
        return max(self.decimals, default=0)


@dataclass
class CountCells:
    cells: int = 0  # whole numbers read
    small: int = 0  # of them from 1 to the minimum - 1
    first: list[tuple[int, int]] = field(default_factory=list)  # (row, count), at most a few
    other: bool = False  # a value neither a whole number nor a suppression mark


@dataclass
class DatasetProfile:
    columns: list[ColumnProfile]
    rows: int = 0
    truncated: bool = False  # more rows than were read
    quasi_columns: tuple[str, ...] = ()
    group_sizes: dict[int, int] = field(default_factory=dict)  # group size -> number of groups
    # An aggregate table (no direct or device identifier, a count column of whole numbers):
    # count column -> (cells read, cells under the minimum, the first of them as (row, count)).
    counts: dict[str, CountCells] = field(default_factory=dict)

    def smallest_group(self) -> int | None:
        return min(self.group_sizes, default=None)

    def small_groups(self, k: int) -> tuple[int, int]:
        """(groups smaller than k, rows in them)."""
        groups = sum(n for size, n in self.group_sizes.items() if size < k)
        rows = sum(size * n for size, n in self.group_sizes.items() if size < k)
        return groups, rows


def classify_columns(columns: Sequence[Column], policy) -> list[ColumnProfile]:
    return [ColumnProfile(c.name, c.line, c.col, classify_name(c.name, policy)) for c in columns]


def profile_rows(
    profiles: list[ColumnProfile],
    rows: Iterable[Row],
    max_rows: int,
    min_quasi_columns: int = 2,
    min_cell: int = 11,
) -> DatasetProfile:
    result = DatasetProfile(profiles)
    quasi = [i for i, p in enumerate(profiles) if p.category in QUASI_CATEGORIES]
    groups: Counter[tuple[str, ...]] | None = Counter() if len(quasi) >= min_quasi_columns else None
    counts = _count_columns(profiles) if groups is not None else []
    cells = {i: CountCells() for i in counts}
    location = [p.category == "location" for p in profiles]
    for row in rows:
        if result.rows >= max_rows:
            result.truncated = True
            break
        result.rows += 1
        for index, value in enumerate(row):
            if value is None or not value.strip():
                continue
            profile = profiles[index]
            profile.values += 1
            _scan_value(profile, value[:MAX_CELL], location[index])
        if groups is not None:
            groups[tuple((row[i] or "").strip().lower() for i in quasi)] += 1
        for i in counts:
            _count_cell(cells[i], row[i], result.rows, min_cell)
    if groups is not None:
        result.quasi_columns = tuple(profiles[i].name for i in quasi)
        result.group_sizes = dict(Counter(groups.values()))
        result.counts = {profiles[i].name: c for i, c in cells.items() if c.cells and not c.other}
    return result


def _count_columns(profiles: list[ColumnProfile]) -> list[int]:
    """Columns that may hold an aggregate table's counts; none when a row names a person."""
    if any(p.category in ("direct", "device") for p in profiles):
        return []
    return [
        i
        for i, p in enumerate(profiles)
        if p.match is None and (COUNT_NAME.match(p.name) or counts_people(p.name))
    ]


def _count_cell(cells: CountCells, value: str | None, row: int, min_cell: int) -> None:
    if cells.other or value is None:
        return
    text = value.strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        if text and not SUPPRESSED.match(text):
            cells.other = True
        return
    cells.cells += 1
    count = int(text)
    if 0 < count < min_cell:
        cells.small += 1
        if len(cells.first) < SMALL_CELLS_KEPT:
            cells.first.append((row, count))


def _scan_value(profile: ColumnProfile, value: str, named_location: bool) -> None:
    shaped = bool(_POINT.match(value) or _PAIR.match(value.strip()))
    if shaped:
        profile.shaped_coordinates += 1
    if named_location or shaped:
        fractions = [m.group(1) for m in DEGREES.finditer(value) if abs(float(m.group(0))) <= 180]
        if fractions:
            profile.degree_values += 1
            most = max(effective_decimals(f) for f in fractions)
            profile.decimals[most] = profile.decimals.get(most, 0) + 1
        return
    if "@" in value and EMAIL.search(value):
        profile.emails += 1
    if len(value) >= 10:
        if PHONE.search(value):
            profile.phones += 1
        if SSN.search(value):
            profile.ssns += 1
    if (":" in value or "-" in value) and MAC.search(value):
        profile.macs += 1
    if value.count(".") >= 3 and IPV4.search(value):
        profile.ips += 1
    if len(value) >= 17 and any(is_vin(m.group(0)) for m in VIN.finditer(value.upper())):
        profile.vins += 1

"""Synthetic data with known properties: group sizes of quasi-identifiers, coordinate decimals.

Deterministic (seeded), so a test knows exactly what the dataset rules must find.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence

COMPLAINTS = ("Pothole", "Streetlight Out", "Graffiti", "Illegal Dumping", "Missed Trash Pickup")
# Contact details planted in free text: the rules must count them and never print them.
PLANTED_EMAIL = "marta.okafor@example.org"
PLANTED_PHONE = "(913) 555-0187"


def requests_311(
    groups: dict[tuple[str, str, str], int],
    decimals: int = 6,
    seed: int = 311,
    planted: bool = True,
    columns: Sequence[str] = ("zip", "requester_age", "requester_sex"),
) -> tuple[str, list[str]]:
    """A 311 export: one row per member of each (zip, age, sex) group, shuffled.

    Returns the CSV text and the coordinate strings written (to check none leaks).
    """
    rng = random.Random(seed)
    rows = [key for key, size in groups.items() for _ in range(size)]
    rng.shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["service_request_id", "created_date", "complaint_type", "ward", *columns,
         "latitude", "longitude", "description"]
    )  # fmt: skip
    coordinates = []
    for i, (zip_code, age, sex) in enumerate(rows, 1):
        lat = f"{39.0 + rng.random() * 0.2:.{decimals}f}"
        lon = f"{-94.7 + rng.random() * 0.2:.{decimals}f}"
        coordinates += [lat, lon]
        description = rng.choice(COMPLAINTS) + " reported by resident"
        if planted and i == 5:
            description = f"Please call me back at {PLANTED_PHONE}"
        if planted and i == 9:
            description = f"Send updates to {PLANTED_EMAIL} thanks"
        writer.writerow(
            [f"SR-2024-{i:05d}", f"2024-03-{1 + i % 28:02d}", rng.choice(COMPLAINTS),
             str(1 + i % 13), zip_code, age, sex, lat, lon, description]
        )  # fmt: skip
    return out.getvalue(), coordinates

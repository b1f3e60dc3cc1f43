"""Dates as news writes them, in any case, with the text's own spelling kept."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import parse_date_text


@pytest.mark.parametrize(("text", "ref", "expected"), [
    ("The MOU was signed on Aug. 29 at Eltower.", date(2024, 9, 2), ("Aug. 29", "2024-08-29")),
    ("SIGNED ON AUG. 29, 2023 IN SEOUL", None, ("AUG. 29, 2023", "2023-08-29")),
    ("signed on 29 august, 2024", None, ("29 august", None)),
    # "August 2024" is a month, not August 20; "129 August" no day
    ("signed on 29 August 2024 in Delhi", None, ("29 August 2024", "2024-08-29")),
    ("the plant opens in August 2024", date(2024, 1, 2), (None, None)),
    ("order 129 August shipments", None, (None, None)),
    ("Posted March. 25, 2025 07:32", None, ("March. 25, 2025 07:32", "2025-03-25T07:32")),
    ("updated 2024-09-11T18:47:44", None, ("2024-09-11T18:47:44", "2024-09-11T18:47")),
    ("서울에서 Sept. 3, 2024 체결", None, ("Sept. 3, 2024", "2024-09-03")),
    ("in December, a month after the Nov. 30 deadline", date(2025, 1, 5), ("Nov. 30", "2024-11-30")),
    ("Dec. 3", None, ("Dec. 3", None)),
    ("no date in this sentence, only 42 numbers", None, (None, None)),
    ("Feb. 30 is not a day", date(2024, 3, 1), (None, None)),
])
def test_dates_as_written_and_normalised(text, ref, expected):
    assert parse_date_text(text, ref=ref) == expected

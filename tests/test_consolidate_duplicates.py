"""Cross-district duplicate detection on identity digests."""

from __future__ import annotations

import numpy as np

from spm_xl.consolidate.duplicates import count_persons, find_duplicates
from spm_xl.consolidate.model import PersonKeys
from spm_xl.consolidate.pseudonym import identity_digest


def sheet(code: str, *people: str) -> PersonKeys:
    digests = np.frombuffer(b"".join(identity_digest(p) for p in people), dtype=np.uint8)
    return PersonKeys(code, f"{code} Sheet", digests.reshape(len(people), 16),
                      np.arange(2, 2 + len(people), dtype=np.int32))


def test_same_person_same_service_in_two_districts_is_one_group() -> None:
    groups = find_duplicates([[sheet("K1", "a", "b")], [sheet("K1", "c", "a")]])
    assert [(g.layanan, g.districts, [m.row for m in g.members]) for g in groups] == [
        ("K1", [0, 1], [2, 3])]


def test_twice_in_one_district_or_in_two_services_is_not_a_cross_district_duplicate() -> None:
    assert find_duplicates([[sheet("K1", "a", "a")], [sheet("K1", "b")]]) == []
    assert find_duplicates([[sheet("K1", "a")], [sheet("K3", "a")]]) == []


def test_a_person_duplicated_in_two_services_counts_once() -> None:
    groups = find_duplicates([[sheet("K1", "a"), sheet("K3", "a")],
                              [sheet("K1", "a"), sheet("K3", "a")], [sheet("K1", "a")]])
    assert [(g.layanan, g.districts) for g in groups] == [("K1", [0, 1, 2]), ("K3", [0, 1])]
    assert count_persons(groups) == 1


def test_empty_sheets_are_fine() -> None:
    assert find_duplicates([[sheet("K1")], []]) == []

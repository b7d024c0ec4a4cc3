"""Cross-district duplicate detection on identity digests."""

from __future__ import annotations

from datetime import date

import numpy as np

from spm_xl import labels
from spm_xl.consolidate.duplicates import count_persons, find_duplicates
from spm_xl.consolidate.model import PersonKeys
from spm_xl.consolidate.pseudonym import identity_digest
from spm_xl.consolidate.worker import person_keys
from spm_xl.records import ServiceRows


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


def recipients(code: str, niks: list[object], names: list[object],
               births: list[object]) -> ServiceRows:
    status = np.ones((len(niks), 1), dtype=np.int8)
    return ServiceRows(code, f"{code} Sheet", ["sandang"], status,
                       list(range(5, 5 + len(niks))), {},
                       {labels.D_NIK: niks, labels.D_NAMA: names, labels.D_LAHIR: births})


def test_worker_keys_match_a_nik_however_written_and_keep_the_identity_digest() -> None:
    nik = "3201014501900001"
    born = date(1990, 1, 5)
    a = person_keys(recipients("K1", [nik, None, None], ["A", "Siti", "X"],
                               [None, born, None]), personal=True)
    b = person_keys(recipients("K1", [None, "3201 0145 0190 0001", 3.2e15],
                               ["siti ", "B", "Siti"], [born, None, born]), personal=True)
    assert (a.by_nik, b.by_nik) == (1, 1)  # NIK rows first, then rows keyed by digest
    assert list(a.rows) == [5, 6] and list(b.rows) == [6, 5, 7]
    assert b.nik == [nik, None, None]
    groups = find_duplicates([[a], [b]])
    assert [(g.digest, [m.row for m in g.members]) for g in groups] == [
        (identity_digest("nik:" + nik), [5, 6]),
        (identity_digest("nama:siti|1990-01-05"), [6, 5, 7])]
    assert count_persons(groups) == 2


def test_many_groups_match_a_plain_dictionary_search_member_order_included() -> None:
    """The numpy search finds the groups, members and order a dict of lists would."""
    import random

    rng = random.Random(7)
    people = [f"p{i}" for i in range(300)]
    districts = [[sheet("K1", *rng.choices(people, k=rng.randint(0, 120)))
                  for _ in range(rng.randint(1, 2))] for _ in range(12)]
    found = find_duplicates(districts)
    seen: dict[bytes, list[tuple[int, int]]] = {}
    for d, sheets in enumerate(districts):
        for keys in sheets:
            for pos, row in enumerate(keys.rows.tolist()):
                seen.setdefault(bytes(keys.match[pos]), []).append((d, row))
    expected = sorted(((sorted({d for d, _ in ms}), ms) for ms in seen.values()
                       if len({d for d, _ in ms}) > 1), key=lambda e: (e[0], e[1][0][1]))
    assert len(expected) > 20
    assert [(g.districts, [(m.district, m.row) for m in g.members]) for g in found] == expected

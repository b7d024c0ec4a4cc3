"""Cross-district duplicates: one person in the same service in two or more districts.

Matching runs on the workers' 16-byte match keys (a NIK's value, else an identity digest)
with numpy (a million recipients in well under a second);
a person listed twice inside one district is the district's own error (``nik_ganda``) and is
not repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import PersonKeys
from .pseudonym import nik_digest


@dataclass(frozen=True, slots=True)
class Member:
    district: int  # index into the list of districts given to find_duplicates
    keys: PersonKeys  # the service sheet it came from
    position: int  # index into keys.match / keys.rows

    @property
    def row(self) -> int:
        return int(self.keys.rows[self.position])


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    layanan: str
    digest: bytes  # the identity digest (``pseudonym.identity_digest``), for the shown id
    members: tuple[Member, ...]  # at least two districts, in district order

    @property
    def districts(self) -> list[int]:
        return sorted({m.district for m in self.members})


def find_duplicates(districts: list[list[PersonKeys]]) -> list[DuplicateGroup]:
    """Groups of the same person in the same service in two or more districts."""
    by_service: dict[str, list[tuple[int, PersonKeys]]] = {}
    for d, sheets in enumerate(districts):
        for keys in sheets:
            if len(keys.rows):
                by_service.setdefault(keys.kode, []).append((d, keys))
    groups: list[DuplicateGroup] = []
    for code in sorted(by_service):
        groups += _service_groups(code, by_service[code])
    return groups


def count_persons(groups: list[DuplicateGroup]) -> int:
    """Distinct people involved: someone duplicated in K1 and K3 counts once."""
    return len({g.digest for g in groups})


def _service_groups(code: str, parts: list[tuple[int, PersonKeys]]) -> list[DuplicateGroup]:
    if len({d for d, _ in parts}) < 2:
        return []
    hi, lo = _halves(np.concatenate([k.match for _, k in parts]))
    district = np.concatenate([np.full(len(k.rows), d, dtype=np.int64) for d, k in parts])
    part = np.concatenate([np.full(len(k.rows), i, dtype=np.int64)
                           for i, (_, k) in enumerate(parts)])
    position = np.concatenate([np.arange(len(k.rows), dtype=np.int64) for _, k in parts])
    # sorting on the high half alone is twice as fast; the full sort is needed only if two
    # different digests share it (chance about 1e-8 for a province). The sort need not be
    # stable: members are put back in district then row order (concatenation order) below
    order = np.argsort(hi)
    same_hi = hi[order][1:] == hi[order][:-1]
    if np.any(same_hi & (lo[order][1:] != lo[order][:-1])):
        order = np.lexsort((lo, hi))
    hi, lo, district = hi[order], lo[order], district[order]
    new_key = np.ones(len(order), dtype=bool)
    new_key[1:] = (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1])
    key_id = np.cumsum(new_key) - 1
    # a key is shared when two neighbours with that key come from different districts
    other = np.zeros(len(order), dtype=bool)
    other[1:] = ~new_key[1:] & (district[1:] != district[:-1])
    if not other.any():
        return []
    shared = np.zeros(int(key_id[-1]) + 1, dtype=bool)
    shared[key_id[other]] = True
    pick = np.flatnonzero(shared[key_id])
    pick = pick[np.lexsort((order[pick], key_id[pick]))]  # within a key: input order
    src = order[pick]
    gid = key_id[pick]
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]]).tolist()
    dist_l, part_l = district[pick].tolist(), part[src].tolist()
    pos_l, hi_l = position[src].tolist(), hi[pick].tolist()
    groups: list[DuplicateGroup] = []
    for a, b in zip(starts, [*starts[1:], len(pick)], strict=True):
        members = tuple(Member(dist_l[j], parts[part_l[j]][1], pos_l[j]) for j in range(a, b))
        keys, at = parts[part_l[a]][1], pos_l[a]
        digest = nik_digest(hi_l[a]) if at < keys.by_nik else bytes(keys.match[at])
        groups.append(DuplicateGroup(code, digest, members))
    groups.sort(key=lambda g: (g.districts, g.members[0].row))
    return groups


def _halves(digests: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint64],
                                                      npt.NDArray[np.uint64]]:
    """Each 16-byte match key as two 64-bit integers, which numpy sorts fast."""
    arr = np.ascontiguousarray(digests[:, :16], dtype=np.uint8)
    pairs = arr.view(np.uint64).reshape(len(arr), 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()

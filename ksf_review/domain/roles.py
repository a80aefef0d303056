"""Who someone is in the app: examinator, coördinator or beheerder, and what each may do.

``StrEnum``: a role compares equal to the string stored in the database, so stored rows
and older callers that pass ``"beheerder"`` keep working.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    EXAMINATOR = "examinator"
    COORDINATOR = "coordinator"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        """The Dutch word shown in the UI ("coördinator")."""
        return _LABELS[self]


_LABELS = {Role.EXAMINATOR: "examinator", Role.COORDINATOR: "coördinator", Role.BEHEERDER: "beheerder"}

#: roles that manage exams, calibration sessions and the library (and see every exam)
MANAGERS: tuple[Role, ...] = (Role.COORDINATOR, Role.BEHEERDER)
#: roles that score exams, and so can be assigned an exam or invited to a calibration session
ASSESSORS: tuple[Role, ...] = (Role.EXAMINATOR, Role.COORDINATOR)


def is_manager(actor) -> bool:
    """True for a coördinator or beheerder (``actor`` is anything with a ``role``, or None)."""
    return actor is not None and actor.role in MANAGERS


def role_label(role: str) -> str:
    """Dutch label of a stored role; an unknown value is shown as it is."""
    try:
        return Role(role).label
    except ValueError:
        return role

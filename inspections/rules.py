"""Consistency rules between an inspection's grades (docs/domain.md, "Overall effectiveness").

Overall effectiveness is entered, not derived. Across 309 ILACS reports: help and protection
inadequate always meant overall inadequate (an error here); any practice judgement inadequate
gave overall inadequate, and overall never lay outside the range of the other grades (warnings).
"""

from dataclasses import dataclass, field

from .models import GRADE_RANK, HELP_AND_PROTECTION, OVERALL, Grade


@dataclass
class GradeCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_grades(grades: dict[str, str], practice_keys: set[str]) -> GradeCheck:
    """Check one inspection's grades, keyed by judgement area key."""
    result = GradeCheck()
    overall = grades.get(OVERALL)
    if not overall:
        return result
    if grades.get(HELP_AND_PROTECTION) == Grade.INADEQUATE and overall != Grade.INADEQUATE:
        result.errors.append(
            "Overall effectiveness must be inadequate when help and protection is inadequate"
        )
        return result
    practice = [grades[key] for key in practice_keys if key in grades]
    if Grade.INADEQUATE in practice and overall != Grade.INADEQUATE:
        result.warnings.append(
            "A judgement on children's experiences is inadequate but overall effectiveness is "
            "not: Ofsted has always graded overall effectiveness inadequate in that case"
        )
    others = [GRADE_RANK[Grade(g)] for key, g in grades.items() if key != OVERALL]
    if others and not min(others) <= GRADE_RANK[Grade(overall)] <= max(others):
        result.warnings.append(
            "Overall effectiveness lies outside the range of the other grades: check it against "
            "the report"
        )
    return result

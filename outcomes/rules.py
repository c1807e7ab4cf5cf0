"""The rules for outcomes from two sources, and for the next inspection: pure functions.

No database here. An Outcome is one graded inspection of one council, either as the council
recorded it or as Ofsted published it in the national outcomes file; the selectors build them.
Sources: docs/domain.md, "National outcomes" and "The inspection cycle", "Before an inspection".
"""

import calendar
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

RECORDED = "recorded"
PUBLISHED = "published"

# The judgements both sources can hold, in the order tables show them.
KEYS = ["overall_effectiveness", "leaders", "help_and_protection", "in_care", "care_leavers"]
OVERALL = "overall_effectiveness"
LEADERS = "leaders"
# The judgements on children's experiences: the "practice judgements" of the April 2026 rule.
PRACTICE = ["help_and_protection", "in_care", "care_leavers"]

# A recorded judgement area -> the judgement of the national file it compares with. Before 2023
# children in care and care leavers were one judgement (the file has it in its in-care column);
# under SIF, children looked after stands where children in care does now.
AREA_KEYS = {
    "overall_effectiveness": OVERALL,
    "leaders": LEADERS,
    "help_and_protection": "help_and_protection",
    "children_in_care": "in_care",
    "children_in_care_and_care_leavers": "in_care",
    "children_looked_after": "in_care",
    "care_leavers": "care_leavers",
}
COMBINED_IN_CARE = "children_in_care_and_care_leavers"

# Grades best first; "adequate" (before November 2013) counts as requires improvement.
LEVELS = ["outstanding", "good", "requires_improvement", "inadequate"]
LEVEL_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
RANK = {"outstanding": 4, "good": 3, "requires_improvement": 2, "adequate": 2, "inadequate": 1}

# One inspection in both sources: fieldwork starting within this many days of each other, or
# reports published within this many days (the council may record the day it received it).
SAME_START_DAYS = 7
SAME_PUBLICATION_DAYS = 3

# What comes next after the last graded inspection.
SHORT = "short"
STANDARD = "standard"
MONITORING = "monitoring"
UNKNOWN = "unknown"

# Years between the starts of consecutive inspections of one council, as first measured on the
# national outcomes file (166 pairs, 10th to 90th percentile and median): used when no file has
# been loaded, or too few pairs were published before the date asked about.
MEASURED_GAPS = {"pairs": 166, "low": 3.0, "median": 3.9, "high": 5.4}
# Fewer pairs than this for one kind of outcome: use the figures for every outcome.
MIN_PAIRS = 20
YEAR_DAYS = 365.25


@dataclass(frozen=True)
class Outcome:
    """One graded inspection of a council, from one source."""

    source: str  # RECORDED or PUBLISHED
    start: date | None
    published: date | None
    kind: str  # "standard", "short", "sif" or "unknown"
    grades: Mapping[str, str]  # judgement key -> grade code, for the judgements graded
    statuses: Mapping[str, str] = field(default_factory=dict)  # published: key -> marker
    combined_in_care: bool = False  # the in-care grade covers care leavers too (2018 to 2022)
    pk: int | None = None  # the Inspection's or the PublishedOutcome's
    council_id: int | None = None
    report_url: str = ""
    as_of: datetime | None = None  # published: when the file was loaded; recorded: last saved

    @property
    def when(self) -> date | None:
        """The first day of fieldwork, or the publication date where that is all there is."""
        return self.start or self.published

    @property
    def is_recorded(self) -> bool:
        return self.source == RECORDED

    def grade(self, key: str) -> str:
        return self.grades.get(key, "")

    def level(self, key: str) -> str | None:
        return level(self.grades.get(key, ""))


def level(grade: str) -> str | None:
    """The grade's place among the four grades; adequate sits with requires improvement."""
    if grade == "adequate":
        return "requires_improvement"
    return grade if grade in RANK else None


def outcome_grades(area_grades: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """A recorded inspection's grades by area key, as the file's judgements; and whether its
    children in care judgement is the combined one."""
    grades = {AREA_KEYS[key]: grade for key, grade in area_grades.items() if key in AREA_KEYS}
    return grades, COMBINED_IN_CARE in area_grades


# Which source wins.


def same_inspection(recorded: Outcome, published: Outcome) -> bool:
    """A recorded inspection and a published report are one inspection: fieldwork starting
    within a few days, or publication within a few days."""
    starts = recorded.start and published.start
    if starts and abs((recorded.start - published.start).days) <= SAME_START_DAYS:
        return True
    publications = recorded.published and published.published
    return bool(
        publications
        and abs((recorded.published - published.published).days) <= SAME_PUBLICATION_DAYS
    )


def recorded_is_current(recorded: Outcome, published: Outcome) -> bool:
    """Of a council's latest recorded and latest published inspection, whether the recorded one
    is the one to show: the same inspection (the council's record wins), or a later one.

    reports/overview.py says the same in SQL, to filter and sort by it.
    """
    starts = published.start and recorded.start
    if starts and recorded.start >= published.start - timedelta(days=SAME_START_DAYS):
        return True
    if recorded.published and recorded.published >= published.published - timedelta(
        days=SAME_PUBLICATION_DAYS
    ):
        return True
    return bool(recorded.start and recorded.start > published.published)


def latest(recorded: Outcome | None, published: Outcome | None) -> Outcome | None:
    """The outcome to show as a council's latest: recorded wins over published."""
    if recorded is None or published is None:
        return recorded or published
    return recorded if recorded_is_current(recorded, published) else published


def pair_up(
    recorded: list[Outcome], published: list[Outcome]
) -> list[tuple[Outcome | None, Outcome | None]]:
    """Every inspection of one council once, oldest first: (recorded, published), either None.

    Each published report goes with the closest recorded inspection that is the same one.
    """
    pairs: list[tuple[Outcome | None, Outcome | None]] = []
    taken: set[int] = set()
    for report in published:
        candidates = [
            (i, r) for i, r in enumerate(recorded) if i not in taken and same_inspection(r, report)
        ]
        if candidates:
            index, match = min(candidates, key=lambda c: _distance(c[1], report))
            taken.add(index)
            pairs.append((match, report))
        else:
            pairs.append((None, report))
    pairs.extend((r, None) for i, r in enumerate(recorded) if i not in taken)
    pairs.sort(key=lambda pair: _sort_date(pair[0] or pair[1]))
    return pairs


def _distance(recorded: Outcome, published: Outcome) -> int:
    if recorded.start and published.start:
        return abs((recorded.start - published.start).days)
    return abs((recorded.published - published.published).days)


def _sort_date(outcome: Outcome) -> date:
    return outcome.when or date.min


def merged(recorded: list[Outcome], published: list[Outcome]) -> list[Outcome]:
    """A council's inspections from both sources, oldest first, the council's record winning."""
    return [r or p for r, p in pair_up(recorded, published)]


@dataclass(frozen=True)
class Difference:
    key: str  # a judgement key, or "kind"
    recorded: str  # as words
    published: str


KIND_WORDS = {"standard": "a standard inspection", "short": "a short inspection"}


def differences(recorded: Outcome, published: Outcome) -> list[Difference]:
    """Where the council's record of an inspection and Ofsted's published report disagree.

    A marker in the file (unreadable, not yet a judgement) is no disagreement; nor is a
    judgement the council has not recorded yet, unless it recorded other grades: then a grade
    the file gives for a judgement the record lacks is one (the file's care leavers grade for
    Nottingham 2022, whose record has the combined judgement).
    """
    found: list[Difference] = []
    kinds = recorded.kind in KIND_WORDS and published.kind in KIND_WORDS
    if kinds and recorded.kind != published.kind:
        found.append(Difference("kind", KIND_WORDS[recorded.kind], KIND_WORDS[published.kind]))
    if not recorded.grades:
        return found
    for key in KEYS:
        theirs = published.grades.get(key)
        if not theirs:
            continue
        ours = recorded.grades.get(key)
        if ours is None:
            note = (
                "judged with children in care"
                if (key == "care_leavers" and recorded.combined_in_care)
                else "no grade"
            )
            found.append(Difference(key, note, LEVEL_LABELS[level(theirs)]))
        elif level(ours) != level(theirs):
            found.append(Difference(key, LEVEL_LABELS[level(ours)], LEVEL_LABELS[level(theirs)]))
    return found


# Benchmarks: the share of councils at each grade.


@dataclass(frozen=True)
class Shares:
    """How many councils' latest reports gave each grade for one judgement."""

    counts: Mapping[str, int]  # level -> councils
    not_graded: int = 0  # councils whose latest report has no grade for it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, level_code: str) -> int:
        return round(100 * self.counts.get(level_code, 0) / self.total) if self.total else 0

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(level, label, councils, percent) for every level, best first."""
        return [
            (code, LEVEL_LABELS[code], self.counts.get(code, 0), self.percent(code))
            for code in LEVELS
        ]


def shares(outcomes: Iterable[Outcome], key: str) -> Shares:
    counts = dict.fromkeys(LEVELS, 0)
    not_graded = 0
    for outcome in outcomes:
        found = outcome.level(key)
        if found:
            counts[found] += 1
        else:
            not_graded += 1
    return Shares(counts=counts, not_graded=not_graded)


@dataclass(frozen=True)
class Standing:
    """Where one council's grade stands among the councils' latest grades."""

    level: str
    same: int  # other councils with this grade
    better: int
    worse: int

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def standing(grade: str, others: Shares) -> Standing | None:
    """A council's grade against the other councils' latest grades."""
    found = level(grade)
    if found is None:
        return None
    place = LEVELS.index(found)
    return Standing(
        level=found,
        same=others.counts.get(found, 0),
        better=sum(others.counts.get(code, 0) for code in LEVELS[:place]),
        worse=sum(others.counts.get(code, 0) for code in LEVELS[place + 1 :]),
    )


def latest_by(histories: Mapping[int, list[Outcome]], day: date) -> list[Outcome]:
    """Each council's latest outcome published on or before the day."""
    return [
        latest
        for latest in (_latest_before(history, day) for history in histories.values())
        if latest
    ]


def _latest_before(history: list[Outcome], day: date) -> Outcome | None:
    found = None
    for outcome in history:
        published = outcome.published
        if (
            published
            and published <= day
            and (found is None or (published, outcome.when) > (found.published, found.when))
        ):
            found = outcome
    return found


def shares_over_time(
    histories: Mapping[int, list[Outcome]], key: str, days: list[date]
) -> list[tuple[date, Shares]]:
    """The shares of councils at each grade, by each council's latest report on each day."""
    return [(day, shares(latest_by(histories, day), key)) for day in days]


# The next inspection.


def next_step(outcome: Outcome) -> str:
    """What follows an inspection, by its grades (docs/domain.md, "Before an inspection").

    Overall effectiveness good or outstanding: a short inspection; requires improvement: a
    standard inspection; inadequate: monitoring visits until a standard re-inspection. Without an
    overall grade (from April 2026) the other grades decide: any inadequate means monitoring (as
    for the deadlines, "Monitoring after April 2026"), all good or better a short inspection,
    anything else a standard one.
    """
    overall = outcome.level(OVERALL)
    if overall:
        return {
            "outstanding": SHORT,
            "good": SHORT,
            "requires_improvement": STANDARD,
            "inadequate": MONITORING,
        }[overall]
    levels = [outcome.level(key) for key in KEYS if outcome.level(key)]
    if not levels:
        return UNKNOWN
    if "inadequate" in levels:
        return MONITORING
    if all(found in ("outstanding", "good") for found in levels):
        return SHORT
    return STANDARD


def good_or_better(grade: str) -> bool:
    return RANK.get(grade, 0) >= RANK["good"]


def skips_focused_visit(outcome: Outcome) -> bool:
    """From April 2026: leaders good or better, and at least two of the three practice
    judgements good or better. The combined judgement of 2018 to 2022 counts for both children
    in care and care leavers."""
    practice = [outcome.grade("help_and_protection"), outcome.grade("in_care")]
    practice.append(
        outcome.grade("in_care") if outcome.combined_in_care else outcome.grade("care_leavers")
    )
    return good_or_better(outcome.grade(LEADERS)) and sum(map(good_or_better, practice)) >= 2


def inspection_gaps(histories: Iterable[list[Outcome]]) -> list[tuple[str, float]]:
    """(what followed the earlier inspection, years) for each pair of consecutive inspections of
    one council whose fieldwork start dates are both known."""
    gaps = []
    for history in histories:
        started = sorted((o for o in history if o.start), key=lambda o: o.start)
        for earlier, later in zip(started, started[1:], strict=False):
            gaps.append((next_step(earlier), (later.start - earlier.start).days / YEAR_DAYS))
    return gaps


def _summary(years: list[float]) -> dict:
    if len(years) < 2:
        return {"pairs": len(years)}
    deciles = statistics.quantiles(years, n=10)
    return {
        "pairs": len(years),
        "low": round(deciles[0], 1),
        "median": round(statistics.median(years), 1),
        "high": round(deciles[-1], 1),
    }


def summarise_gaps(gaps: list[tuple[str, float]]) -> dict[str, dict]:
    """The 10th percentile, median and 90th percentile of the gaps, in years: for every pair
    ("all"), and by what followed the earlier inspection."""
    summary = {"all": _summary([years for _, years in gaps])}
    for step in (SHORT, STANDARD, MONITORING):
        summary[step] = _summary([years for found, years in gaps if found == step])
    return summary


@dataclass(frozen=True)
class Estimate:
    """The likely kind and window of a council's next inspection, and how they were estimated."""

    step: str  # SHORT, STANDARD, MONITORING or UNKNOWN
    focused_visit_first: bool
    window_from: date | None
    window_to: date | None
    likeliest: date | None
    overdue: bool
    last: Outcome | None
    how: list[str]

    @property
    def title(self) -> str:
        """As a heading: "Short inspection", "A focused visit, then a short inspection"."""
        if self.step == UNKNOWN:
            return "Not known"
        if self.focused_visit_first:
            return f"A focused visit, then {STEP_WORDS[self.step]}"
        words = STEP_WORDS[self.step].removeprefix("a ")
        return words[0].upper() + words[1:]


STEP_WORDS = {
    SHORT: "a short inspection",
    STANDARD: "a standard inspection",
    MONITORING: "monitoring visits until a standard re-inspection",
}


def _add_years(day: date, years: float) -> date:
    """The day so many years later, to the nearest month: the window is shown by the month."""
    months = day.month - 1 + round(years * 12)
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def estimate_next(
    history: list[Outcome],
    *,
    as_of: date,
    gaps: Mapping[str, Mapping] | None,
    focused_visit_rule_from: date | None,
) -> Estimate:
    """The next inspection after the last graded one published before ``as_of``.

    ``gaps`` is summarise_gaps() of the national file (None: the figures first measured);
    ``focused_visit_rule_from`` is the day the April 2026 rule starts (the first framework with
    no overall effectiveness), or None if there is no such framework.
    """
    known = [o for o in history if o.published and o.published < as_of and o.when]
    if not known:
        return Estimate(
            step=UNKNOWN,
            focused_visit_first=False,
            window_from=None,
            window_to=None,
            likeliest=None,
            overdue=False,
            last=None,
            how=[f"No inspection report was published before {_long_date(as_of)}."],
        )
    last = max(known, key=lambda o: (o.when, o.published))
    step = next_step(last)
    source = "recorded by the council" if last.is_recorded else "published by Ofsted"
    kind = {"standard": "standard inspection", "short": "short inspection"}.get(
        last.kind, "inspection"
    )
    how = [
        f"Counted from the {kind} that started {_long_date(last.start)} ({source})."
        if last.start
        else f"Counted from the {kind} published {_long_date(last.published)} ({source}): the "
        "national file has no fieldwork dates for it, so the window may be about two months late."
    ]
    how.append(_step_reason(last, step))
    figures, scope = _gap_figures(gaps, step)
    base = last.start or last.published
    window_from = _add_years(base, figures["low"])
    window_to = _add_years(base, figures["high"])
    likeliest = _add_years(base, figures["median"])
    how.append(
        f"The window is when 8 in 10 next inspections started: {figures['low']:g} to "
        f"{figures['high']:g} years after the last one began, most often about "
        f"{figures['median']:g} years ({scope})."
    )
    focused = False
    if (
        step in (SHORT, STANDARD)
        and focused_visit_rule_from
        and max(as_of, window_from) >= focused_visit_rule_from
    ):
        focused = not skips_focused_visit(last)
        how.append(
            f"From {_long_date(focused_visit_rule_from)} a focused visit comes first unless "
            "leaders are good or better and at least two of the three practice judgements are: "
            + ("they are not." if focused else "they are.")
        )
    overdue = as_of > window_to
    if overdue:
        how.append("Later than 9 in 10 councils waited: it may come at any time.")
    how.append("An estimate: Ofsted gives councils only a few working days' notice.")
    return Estimate(
        step=step,
        focused_visit_first=focused,
        window_from=window_from,
        window_to=window_to,
        likeliest=likeliest,
        overdue=overdue,
        last=last,
        how=how,
    )


def _step_reason(last: Outcome, step: str) -> str:
    overall = last.level(OVERALL)
    if overall:
        follows = {
            SHORT: "a short inspection follows",
            STANDARD: "a standard inspection follows",
            MONITORING: "monitoring visits follow until a standard re-inspection",
        }[step]
        return f"Overall effectiveness was {LEVEL_LABELS[overall].lower()}: {follows}."
    if step == UNKNOWN:
        return "Its grades are not readable in the national file, so the kind is not known."
    return {
        SHORT: "No overall grade; every judgement good or better: a short inspection follows.",
        STANDARD: "No overall grade; not every judgement good or better: a standard inspection "
        "follows.",
        MONITORING: "No overall grade; a judgement inadequate: monitoring visits follow until a "
        "standard re-inspection.",
    }[step]


def _gap_figures(gaps: Mapping[str, Mapping] | None, step: str) -> tuple[Mapping, str]:
    after = {
        SHORT: "where the earlier one was judged good or outstanding",
        STANDARD: "where the earlier one was judged requires improvement",
        MONITORING: "where the earlier one was judged inadequate",
    }
    if gaps:
        chosen = gaps.get(step) or {}
        if chosen.get("pairs", 0) >= MIN_PAIRS and "low" in chosen:
            return chosen, (
                f"{chosen['pairs']} pairs of consecutive inspections of one council in the "
                f"national outcomes file {after[step]}"
            )
        every = gaps.get("all") or {}
        if every.get("pairs", 0) >= MIN_PAIRS and "low" in every:
            return every, (
                f"{every['pairs']} pairs of consecutive inspections of one council in the "
                "national outcomes file"
            )
    return MEASURED_GAPS, (
        f"{MEASURED_GAPS['pairs']} pairs of consecutive inspections in the national outcomes "
        "file, as first measured"
    )

"""The demo's published comparators: an illustrative EES file (measures/data/README.md), made
up for the demo and not the DfE's statistics, loaded through the same loader as a real file."""

from pathlib import Path

from .loader import load_comparators

DEMO_FILE = Path(__file__).resolve().parent / "data" / "illustrative-comparators.csv"


def load_demo_comparators() -> str:
    """Load the illustrative file; loading it again changes nothing. A one-line summary."""
    result = load_comparators(DEMO_FILE, source=f"{DEMO_FILE.name} (illustrative, not DfE data)")
    return f"Illustrative comparators: {result.summary()}"

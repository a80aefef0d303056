"""No function, method or class that nothing calls (vulture over the app, its tests and benches).

Vulture reads the whole tree (over a second), so this is in the integration tier, not among the unit tests.
"""

from __future__ import annotations

from pathlib import Path

import vulture

ROOT = Path(__file__).resolve().parents[2]

#: called by a framework, not by our code: fpdf's page-footer hook, a SQLAlchemy event listener,
#: a procrastinate task; `f1` completes precision/recall in the evaluation reports
CALLED_ELSEWHERE = {"footer", "_sqlite_pragmas", "retry_stalled", "f1"}


def test_no_unused_functions_methods_or_classes():
    v = vulture.Vulture()
    v.scavenge([str(ROOT / p) for p in ("ksf_review", "pages", "app.py", "tests", "bench", "scripts")], exclude=["*/migrations/versions/*"])
    unused = [
        item.get_report()
        for item in v.get_unused_code(min_confidence=60)
        if item.typ in ("function", "method", "property", "class")
        and Path(item.filename).relative_to(ROOT).parts[0] in ("ksf_review", "pages", "app.py")
        and item.name not in CALLED_ELSEWHERE
    ]
    assert unused == []

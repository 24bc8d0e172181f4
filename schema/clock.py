"""The one clock: what day casebook takes "today" to be.

Validation (dates may not lie in the future), ``casebook new`` (the issue
date of a scaffold), printed casebooks and retrieval reports all ask this
module, never ``datetime.date.today()`` directly. ``CASEBOOK_TODAY``
(``YYYY-MM-DD``) fixes the day, for reproducible builds and for tests; the
command line's global ``--today`` option sets it.
"""

from __future__ import annotations

import datetime as dt
import os

ENVIRONMENT_VARIABLE = "CASEBOOK_TODAY"


class ClockError(ValueError):
    """``CASEBOOK_TODAY`` (or ``--today``) does not hold a real date."""


def parse_day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` string as a date; :class:`ClockError` with a Chinese message otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"“{text}” 不是有效的日期：应写作 YYYY-MM-DD，如 2026-12-01") from None


def today() -> dt.date:
    """``CASEBOOK_TODAY`` when set, else the machine's date."""
    fixed = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if fixed:
        try:
            return parse_day(fixed)
        except ClockError as error:
            raise ClockError(f"环境变量 {ENVIRONMENT_VARIABLE}：{error}") from None
    return dt.date.today()

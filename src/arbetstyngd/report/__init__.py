"""Reports for people: a self-contained HTML report and a formatted Excel workbook.

Both speak Swedish or English (``lang="sv"`` or ``"en"``) from one label table
(:mod:`arbetstyngd.labels`); case-type labels come from the scheme. The convenience
methods :meth:`arbetstyngd.Workload.to_html` and :meth:`arbetstyngd.Workload.to_excel` call
:func:`html_report` and :func:`excel_report`.

Examples
--------
>>> import arbetstyngd as at
>>> wl = at.datasets.make_municipality(n_workers=10, n_teams=2, seed=0).score()
>>> page = html_report(wl, lang="sv", min_group=5)
>>> "Översikt för enheten" in page
True
"""

from ..labels import band_name, fmt_date, fmt_number, fmt_percent, text
from .excel import excel_report
from .history import high_streaks
from .html import html_report

__all__ = [
    "band_name",
    "excel_report",
    "fmt_date",
    "fmt_number",
    "fmt_percent",
    "high_streaks",
    "html_report",
    "text",
]

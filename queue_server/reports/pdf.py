"""Print-ready PDF reports (fpdf2), on the office's letterhead, in the page language:

- the monthly service report: volume, waiting and service times, the procedure, PPID;
- the SKM report in the structure PermenPANRB 14/2017 asks for: the respondents' profile,
  NRR per element, the IKM and the service quality grade (mutu pelayanan), the
  suggestions, and a table to write the follow-up plan (rencana tindak lanjut) in.

Both are drawn from the reports' JSON views, so they say what the page and the API say.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

from queue_server.reports.catalog import cell
from queue_server.web.i18n import translate

FONTS = Path("/usr/share/fonts/truetype/dejavu")
"""DejaVu (Debian fonts-dejavu-core) covers Indonesian and the dashes; without it the
built-in Helvetica is used and text outside Latin-1 is replaced."""
FOLLOW_UP_ROWS = 5
GRID_FONT = 9
"""The tables' font size (pt)."""
GRID_LINE = 5.0
GRID_PAD = 1.0
"""A table line's height and a cell's padding (mm)."""


def _cell(value: Any, kind: str, language: str) -> str:
    return cell(value, kind, language, missing="-")  # Latin-1 for the fallback font


class Letterhead(FPDF):
    """A4 pages with the office's letterhead on top and the page number below."""

    def __init__(self, office: str, unit: str, settings, language: str) -> None:
        super().__init__(format="A4")
        self.office, self.unit, self.settings, self.language = office, unit, settings, language
        self.unicode = (FONTS / "DejaVuSans.ttf").is_file()
        if self.unicode:
            self.add_font("body", "", str(FONTS / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(True, margin=18)
        self.set_title(office)

    def text_of(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        logo = self.settings.logo if self.settings else None
        left = 10
        if logo:
            self.image(str(logo), x=10, y=8, h=20)
            left = 34
        self.set_xy(left, 9)
        self.set_font(self.family, "B", 13)
        self.cell(0, 6, self.text_of(self.office), new_x="LMARGIN", new_y="NEXT")
        self.set_x(left)
        self.set_font(self.family, "", 10)
        for line in (self.unit, self.settings.address if self.settings else ""):
            if line:
                self.cell(0, 5, self.text_of(line), new_x="LMARGIN", new_y="NEXT")
                self.set_x(left)
        self.set_y(max(self.get_y(), 29) + 1)
        self.set_line_width(0.6)
        self.line(10, self.get_y(), 200, self.get_y())
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, self.text_of(translate(self.language, "pdf_page",
                                               page=self.page_no())), align="C")

    def heading(self, text: str, size: int = 12) -> None:
        self.set_font(self.family, "B", size)
        self.multi_cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def paragraph(self, text: str) -> None:
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(self, headers: list[str], rows: list[list[str]]) -> None:
        """A ruled table of equal columns, its header row bold and repeated on each page.

        Drawn cell by cell with text(): fpdf2's table() lays every cell out as a
        multi_cell, about a quarter of a millisecond each, which made a year's report take
        over half a second; only a cell too long for its column is broken into lines.
        """
        width = self.epw / len(headers)
        heads = self._grid_wrap(headers, width, bold=True)
        body = [self._grid_wrap(row, width, bold=False) for row in rows]
        first = heads[1] + (body[0][1] if body else heads[1])
        if self.get_y() + first > self.page_break_trigger:
            self.add_page()  # a header row is never left alone at the foot of a page
        self._grid_row(heads, width, bold=True)
        for row in body:
            if self.get_y() + row[1] > self.page_break_trigger:
                self.add_page()
                self._grid_row(heads, width, bold=True)
            self._grid_row(row, width, bold=False)
        self.set_font(self.family, "", 10)
        self.ln(3)

    def _grid_wrap(self, values: list[str], width: float,
                   bold: bool) -> tuple[list[list[str]], float]:
        """A row's cells as lines (only a cell too long for its column is broken) and the
        row's height, worked out once per row."""
        self.set_font(self.family, "B" if bold else "", GRID_FONT)
        wrapped = []
        for value in values:
            text = self.text_of(value)
            if "\n" not in text and self.get_string_width(text) <= width - 2 * GRID_PAD:
                wrapped.append([text])
            else:
                wrapped.append(self.multi_cell(width, GRID_LINE, text, dry_run=True,
                                               output="LINES", padding=(0, GRID_PAD)) or [""])
        return wrapped, max(len(lines) for lines in wrapped) * GRID_LINE + 2 * GRID_PAD

    def _grid_row(self, row: tuple[list[list[str]], float], width: float, bold: bool) -> None:
        """Draw a wrapped row (from _grid_wrap) at the current position."""
        wrapped, height = row
        self.set_font(self.family, "B" if bold else "", GRID_FONT)
        top, x = self.get_y(), self.l_margin
        # The text's baseline sits so that a line's letters are centred in GRID_LINE.
        baseline = GRID_PAD + (GRID_LINE + self.font_size * 0.7) / 2
        for lines in wrapped:
            self.rect(x, top, width, height)
            for index, line in enumerate(lines):
                if line:
                    self.text(x + GRID_PAD, top + baseline + index * GRID_LINE, line)
            x += width
        self.set_xy(self.l_margin, top + height)

    def report_table(self, table: dict[str, Any], limit: int | None = None) -> None:
        self.heading(table["title"], 11)
        if not table["rows"]:
            self.paragraph(translate(self.language, "reports_no_data"))
            return
        rows = table["rows"][:limit] if limit else table["rows"]
        self.grid([c["label"] for c in table["columns"]],
                  [[_cell(v, c["kind"], self.language) for v, c in
                    zip(row, table["columns"], strict=True)] for row in rows])

    def figures(self, view: dict[str, Any]) -> None:
        rows = []
        for name, value in view["figures"].items():
            kind = "seconds" if name.startswith(("wait_", "service_")) else "percent" \
                if name.endswith("share") else "number"
            rows.append([translate(self.language, f"report_figure_{name}"),
                         _cell(value, kind, self.language)])
        self.grid([translate(self.language, "pdf_figure"), translate(self.language,
                                                                       "pdf_value")], rows)


def _start(views: dict[str, dict], title: str, office: str, unit: str, settings,
           language: str) -> Letterhead:
    pdf = Letterhead(office, unit, settings, language)
    pdf.add_page()
    first = next(iter(views.values()))
    pdf.heading(title, 14)
    pdf.paragraph(translate(language, "reports_period", start=first["from"], end=first["to"],
                            zone=first["timezone"]))
    return pdf


def monthly(views: dict[str, dict], office: str, unit: str, settings, language: str) -> bytes:
    """The monthly service report from the volume, waits, procedure and PPID views."""
    pdf = _start(views, translate(language, "pdf_monthly_title"), office, unit, settings,
                 language)
    for number, view in enumerate(views.values(), start=1):
        pdf.heading(f"{number}. {view['title']}")
        pdf.figures(view)
        for table in view["tables"]:
            if table["key"] in ("by_day", "heatmap", "by_category"):
                continue  # long or health-adjacent tables stay in the XLSX
            pdf.report_table(table)
    return bytes(pdf.output())


def skm(views: dict[str, dict], office: str, unit: str, settings, language: str) -> bytes:
    """The SKM report (PermenPANRB 14/2017): profile, NRR, IKM and grade, suggestions, and
    the follow-up plan to fill in."""
    view = views["skm"]
    tables = {table["key"]: table for table in view["tables"]}
    pdf = _start(views, translate(language, "pdf_skm_title"), office, unit, settings, language)
    figures = view["figures"]
    pdf.paragraph(translate(language, "pdf_skm_respondents", count=figures["responses"]))
    pdf.heading("I. " + tables["skm_profile"]["title"])
    pdf.report_table(tables["skm_profile"])
    pdf.heading("II. " + tables["skm_elements"]["title"])
    pdf.report_table(tables["skm_elements"])
    pdf.heading("III. " + translate(language, "pdf_skm_index"))
    pdf.grid([translate(language, "report_col_ikm"), translate(language, "report_col_grade")],
             [[_cell(figures["ikm"], "number", language), figures["grade_label"] or "-"]])
    pdf.report_table(tables["skm_by_month"])
    pdf.heading("IV. " + tables["skm_suggestions"]["title"])
    pdf.report_table(tables["skm_suggestions"])
    pdf.heading("V. " + translate(language, "pdf_follow_up"))
    pdf.grid([translate(language, f"pdf_follow_up_{c}") for c in ("no", "plan", "when", "who")],
             [[str(n), "", "", ""] for n in range(1, FOLLOW_UP_ROWS + 1)])
    return bytes(pdf.output())


WRITERS = {"monthly": monthly, "skm": skm}

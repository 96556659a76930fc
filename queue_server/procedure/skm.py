"""The satisfaction survey (SKM, PermenPANRB 14/2017): its 9 elements and the IKM index."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class Element(enum.Enum):
    """The 9 service elements; answers are stored by this key, never by position."""

    PERSYARATAN = "persyaratan"
    PROSEDUR = "sistem_mekanisme_prosedur"
    WAKTU = "waktu_penyelesaian"
    BIAYA = "biaya_tarif"
    PRODUK = "produk_spesifikasi"
    KOMPETENSI = "kompetensi_pelaksana"
    PERILAKU = "perilaku_pelaksana"
    PENGADUAN = "penanganan_pengaduan"
    SARANA = "sarana_prasarana"


@dataclass(frozen=True)
class Question:
    """One element's question with its own four answer labels (value 1 to 4)."""

    element: Element
    name: str
    question: str
    answers: tuple[str, str, str, str]
    name_en: str
    question_en: str
    answers_en: tuple[str, str, str, str]


# The questionnaire of PermenPANRB 14/2017 (lampiran), in the element order.
DEFAULT_QUESTIONS: dict[Element, Question] = {q.element: q for q in (
    Question(Element.PERSYARATAN, "Persyaratan",
             "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
             "jenis pelayanannya?",
             ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
             "Requirements", "How well do the requirements fit the service?",
             ("Not suitable", "Less suitable", "Suitable", "Very suitable")),
    Question(Element.PROSEDUR, "Sistem, Mekanisme, dan Prosedur",
             "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
             ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
             "System, mechanism, and procedure", "How easy is the service procedure here?",
             ("Not easy", "Less easy", "Easy", "Very easy")),
    Question(Element.WAKTU, "Waktu Penyelesaian",
             "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
             ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
             "Completion time", "How fast was the service?",
             ("Not fast", "Less fast", "Fast", "Very fast")),
    Question(Element.BIAYA, "Biaya/Tarif",
             "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
             ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
             "Cost/fee", "How fair is the cost of the service?",
             ("Very expensive", "Fairly expensive", "Cheap", "Free")),
    Question(Element.PRODUK, "Produk Spesifikasi Jenis Pelayanan",
             "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
             "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
             ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
             "Product specification", "Does the result match the service standard?",
             ("Not suitable", "Less suitable", "Suitable", "Very suitable")),
    Question(Element.KOMPETENSI, "Kompetensi Pelaksana",
             "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
             ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
             "Staff competence", "How competent were the staff?",
             ("Not competent", "Less competent", "Competent", "Very competent")),
    Question(Element.PERILAKU, "Perilaku Pelaksana",
             "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
             "kesopanan dan keramahan?",
             ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
              "Sangat sopan dan ramah"),
             "Staff conduct", "How polite and friendly were the staff?",
             ("Not polite and friendly", "Less polite and friendly", "Polite and friendly",
              "Very polite and friendly")),
    Question(Element.PENGADUAN, "Penanganan Pengaduan, Saran, dan Masukan",
             "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
             ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
              "Dikelola dengan baik"),
             "Complaints, suggestions, and feedback", "How are users' complaints handled?",
             ("None", "Exists but does not work", "Works, not fully", "Well managed")),
    Question(Element.SARANA, "Sarana dan Prasarana",
             "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
             ("Buruk", "Cukup", "Baik", "Sangat baik"),
             "Facilities", "How good are the facilities?",
             ("Poor", "Fair", "Good", "Very good")),
)}


class Grade(enum.Enum):
    """Service quality grade (mutu pelayanan) of an IKM value."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


GRADE_LABELS = {Grade.A: ("Sangat baik", "Very good"), Grade.B: ("Baik", "Good"),
                Grade.C: ("Kurang baik", "Fair"), Grade.D: ("Tidak baik", "Poor")}
# Lower bounds of each grade on the rounded IKM (PermenPANRB 14/2017).
_GRADE_FLOORS = ((Decimal("88.31"), Grade.A), (Decimal("76.61"), Grade.B),
                 (Decimal("65.00"), Grade.C), (Decimal("25.00"), Grade.D))
_CENT = Decimal("0.01")
# An element's grade from its NRR, to the four decimals the PermenPANRB 14/2017 table is
# written in: 1.00-2.5996 D, 2.60-3.064 C, 3.0644-3.532 B, 3.5324-4.00 A.
_ELEMENT_FLOORS = ((Decimal("3.5324"), Grade.A), (Decimal("3.0644"), Grade.B),
                   (Decimal("2.60"), Grade.C), (Decimal("1.00"), Grade.D))
_NI_PLACES = Decimal("0.0001")


class Weighting(enum.Enum):
    """The weight of each element in the IKM: exactly 1/9, or the printed 0.111."""

    EXACT = "exact"
    PRINTED = "0.111"

    @property
    def weight(self) -> Fraction:
        return Fraction(1, len(Element)) if self is Weighting.EXACT else Fraction(111, 1000)

    @property
    def text(self) -> str:
        return "1/9 (eksak)" if self is Weighting.EXACT else "0,111"


def grade_of(ikm: Decimal) -> Grade:
    """The grade of a rounded IKM value (25.00 to 100.00)."""
    for floor, grade in _GRADE_FLOORS:
        if ikm >= floor:
            return grade
    raise ValueError(f"IKM {ikm} is below 25.00: answers must be 1 to 4")


def element_grade(nrr: Fraction) -> Grade:
    """The grade of one element's NRR (1 to 4), on the table's four decimals."""
    value = (Decimal(nrr.numerator) / Decimal(nrr.denominator)).quantize(
        _NI_PLACES, rounding=ROUND_HALF_UP)
    for floor, grade in _ELEMENT_FLOORS:
        if value >= floor:
            return grade
    raise ValueError(f"NRR {value} is below 1.00: answers must be 1 to 4")


def _round(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IkmReport:
    """Per-element averages (NRR) and the index, exact until the one final rounding."""

    responses: int
    totals: dict[Element, int]
    nrr: dict[Element, Fraction]
    ikm_exact: Fraction | None
    weighting: Weighting = Weighting.EXACT

    @property
    def ikm(self) -> Decimal | None:
        return None if self.ikm_exact is None else _round(self.ikm_exact)

    @property
    def grade(self) -> Grade | None:
        return None if self.ikm is None else grade_of(self.ikm)

    def nrr_rounded(self, element: Element) -> Decimal | None:
        """An element's average for display (rounded; the IKM never uses this)."""
        value = self.nrr.get(element)
        return None if value is None else _round(value)

    def element_grade(self, element: Element) -> Grade | None:
        value = self.nrr.get(element)
        return None if value is None else element_grade(value)


def compute_ikm(responses: Iterable[Mapping[Element, int]],
                weighting: Weighting = Weighting.EXACT) -> IkmReport:
    """NRR per element = sum / count; IKM = sum(NRR x weight) x 25, rounded once at the end.

    The weight is exactly 1/9, or 0.111 as many offices print it (survey.weight).
    """
    totals = {element: 0 for element in Element}
    counts = {element: 0 for element in Element}
    number = 0
    for answers in responses:
        number += 1
        for element, value in answers.items():
            if not 1 <= value <= 4:
                raise ValueError(f"{element.value}: answer {value} is not 1 to 4")
            totals[element] += value
            counts[element] += 1
    nrr = {element: Fraction(totals[element], counts[element])
           for element in Element if counts[element]}
    if len(nrr) < len(Element):
        return IkmReport(number, totals, nrr, None, weighting)
    weight = weighting.weight
    ikm = sum((value * weight for value in nrr.values()), Fraction(0)) * 25
    return IkmReport(number, totals, nrr, ikm, weighting)

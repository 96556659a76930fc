"""The reports page (/laporan) and the live board (/pemantauan): admin and supervisor."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("reports_pages", __name__)

"""Staff pages of the procedure, one per role."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("procedure_pages", __name__)

"""Which roles may read which personal data: one table for every subsystem."""
from __future__ import annotations

from queue_server.auth.models import Role

PHONE_READERS = frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.OFFICER, Role.PPID})
"""Who may read a guest's phone number (to reach them about their request)."""
HEALTH_READERS = frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.OFFICER})
"""Who may read a ticket's or guest's category and disability kinds (health data)."""
FETCH_ALERT_READERS = frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.SECURITY})
"""Who hears a fetch alert ("Jemput P-003 ke Loket 2"): it carries a ticket and a counter
only, but that a visitor must be fetched hints at a need, so other roles do not get it."""
IDENTITY_READERS = frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.OFFICER, Role.PPID})
"""Who may read a guest's name and institution at all (security sees aids, not identity)."""
REQUESTER_READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.PPID})
"""Who may read an information request's requester name, address and e-mail (the roles that
work the request; reception issues the pick-up ticket by request number)."""

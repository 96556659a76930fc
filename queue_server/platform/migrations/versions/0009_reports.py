"""indexes for the reports: tickets by local day, ticket history by action (with the user, for the officer's figures), reassignments
by time

Reports filter tickets by their local day (the index covers every column the volume and
waiting-time reports read, so a year is read from the index alone) and count transfers from the history by action;
the procedure report counts reassignments by time. The "supervisor" role needs no change:
users.role is a plain string column.

Revision ID: 0009_reports
Revises: 0008_personal_data
Create Date: 2026-11-30
"""
from alembic import op

revision = '0009_reports'
down_revision = '0008_personal_data'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tickets_day', 'tickets',
                    ['day', 'status', 'priority', 'service', 'category', 'counter',
                     'created_at', 'called_at', 'finished_at'], unique=False)
    op.create_index('ix_ticket_events_action', 'ticket_events',
                    ['action', 'ticket_id', 'user_id'], unique=False)
    op.create_index('ix_step_reassignments_at', 'step_reassignments', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_step_reassignments_at', table_name='step_reassignments')
    op.drop_index('ix_ticket_events_action', table_name='ticket_events')
    op.drop_index('ix_tickets_day', table_name='tickets')

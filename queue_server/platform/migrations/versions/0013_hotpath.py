"""waiting counts per service and priority; an index for the queue per service

Issuing, call-next, the staff pages and the TVs read how many wait from a few rows kept in
each change's transaction (tickets.counts) instead of counting the waiting tickets; the
rows are filled here from the tickets waiting now. The grouped-count index they replace
goes; the queue per service (its pages, positions, call-next) gets one in call order.

Revision ID: 0013_hotpath
Revises: 0012_reports_rollup
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_hotpath'
down_revision = '0012_reports_rollup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('waiting_counts',
                    sa.Column('service', sa.String(length=32), nullable=False),
                    sa.Column('priority', sa.Integer(), nullable=False),
                    sa.Column('waiting', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('service', 'priority', name=op.f('pk_waiting_counts')))
    op.execute("INSERT INTO waiting_counts (service, priority, waiting) "
               "SELECT service, priority, COUNT(*) FROM tickets WHERE status = 'waiting' "
               "GROUP BY service, priority")
    # ix_tickets_waiting_groups stays: the supervisor's board groups the waiting tickets
    # by category with their oldest (0012_reports_rollup).
    op.create_index('ix_tickets_service_queue', 'tickets',
                    ['status', 'service', 'priority', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tickets_service_queue', table_name='tickets')
    op.drop_table('waiting_counts')

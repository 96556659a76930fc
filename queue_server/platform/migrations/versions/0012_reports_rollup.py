"""reports: first call, last caller and fairness guard on tickets; the daily roll-up

Waiting time runs from issue to the first call: tickets.first_called_at, backfilled from
the history's first call. The officer a ticket counts for (tickets.officer_id) is who
called it last, backfilled from the history. tickets.fairness_guard marks a regular
ticket call-next took while a priority one waited (unknown, so false, before this).
The report_rollup_* tables hold closed days' figures (queue_server/reports/rollup.py).

Revision ID: 0012_reports_rollup
Revises: 0011_cluster
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0012_reports_rollup'
down_revision = '0011_cluster'
branch_labels = None
depends_on = None

OLD_DAY_INDEX = ['day', 'status', 'priority', 'service', 'category', 'counter',
                 'created_at', 'called_at', 'finished_at']
DAY_INDEX = ['day', 'status', 'priority', 'service', 'category', 'counter', 'officer_id',
             'fairness_guard', 'created_at', 'first_called_at', 'called_at', 'finished_at']
CALLS = "('called', 'called_back')"
WAITING_INDEX = ['status', 'priority', 'service', 'category', 'created_at']


def upgrade() -> None:
    op.drop_index('ix_tickets_day', table_name='tickets')
    # Plain ALTER TABLE: a batch (copy and drop) on SQLite would cascade the drop of
    # tickets to their history. officer_id has no foreign key for the same reason (as
    # counter_states.current_ticket_id); users are never deleted once they acted.
    op.add_column('tickets', sa.Column(
        'first_called_at', queue_server.platform.database.UTCDateTime(timezone=True),
        nullable=True))
    op.add_column('tickets', sa.Column('officer_id', sa.Integer(), nullable=True))
    op.add_column('tickets', sa.Column('fairness_guard', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    # Set-based (UPDATE ... FROM, PostgreSQL and SQLite 3.33+). A year of tickets takes
    # longer than the app's statement timeout on a busy machine: lifted for this transaction.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SET LOCAL statement_timeout = 0")
    calls = f"""(SELECT ticket_id, MIN(at) AS first_at, MAX(id) AS last_id FROM ticket_events
                 WHERE action IN {CALLS} GROUP BY ticket_id) AS calls"""
    op.execute(f"""UPDATE tickets SET first_called_at = calls.first_at FROM {calls}
                   WHERE calls.ticket_id = tickets.id""")
    op.execute(f"""UPDATE tickets SET officer_id = last_call.user_id
                   FROM ticket_events AS last_call, {calls}
                   WHERE calls.ticket_id = tickets.id AND last_call.id = calls.last_id""")
    op.create_index('ix_tickets_day', 'tickets', DAY_INDEX, unique=False)
    op.create_table(
        'report_rollup_months',
        sa.Column('slice', sa.String(length=48), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('through', sa.Date(), nullable=False),
        sa.Column('rolled_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=False),
        sa.PrimaryKeyConstraint('slice', 'month', name=op.f('pk_report_rollup_months')))
    op.create_table(
        'report_rollup_counts',
        sa.Column('slice', sa.String(length=48), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('hour', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('transferred', sa.Integer(), nullable=False),
        sa.Column('fairness_guard', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('slice', 'day', 'hour', 'status',
                                name=op.f('pk_report_rollup_counts')))
    op.create_table(
        'report_rollup_durations',
        sa.Column('slice', sa.String(length=48), nullable=False),
        sa.Column('grouping', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('bucket', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('total', sa.Float(), nullable=False),
        sa.Column('top', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('slice', 'grouping', 'value', 'kind', 'bucket', 'month',
                                name=op.f('pk_report_rollup_durations')))
    op.create_table(
        'report_rollup_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('checked_event_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_rollup_state')))
    _step_tables()
    op.create_index('ix_survey_answers_values', 'survey_answers',
                    ['response_id', 'element', 'value'], unique=False)
    # The live board's waiting groups (count and oldest per service and category) from
    # the index alone.
    op.drop_index('ix_tickets_waiting_groups', table_name='tickets')
    op.create_index('ix_tickets_waiting_groups', 'tickets', WAITING_INDEX, unique=False)


def _step_tables() -> None:
    """The procedure report's roll-up (queue_server/procedure/steps_rollup.py)."""
    op.create_table(
        'report_step_months',
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('through', sa.Date(), nullable=False),
        sa.Column('rolled_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=False),
        sa.PrimaryKeyConstraint('month', name=op.f('pk_report_step_months')))
    op.create_table(
        'report_step_pending',
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_report_step_pending')))
    op.create_index(op.f('ix_report_step_pending_month'), 'report_step_pending', ['month'],
                    unique=False)
    op.create_table(
        'report_step_times',
        sa.Column('step_key', sa.String(length=32), nullable=False),
        sa.Column('bucket', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('within', sa.Integer(), nullable=False),
        sa.Column('total', sa.Float(), nullable=False),
        sa.Column('top', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('step_key', 'bucket', 'month',
                                name=op.f('pk_report_step_times')))
    op.create_table(
        'report_step_deviations',
        sa.Column('by', sa.String(length=8), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('over', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('by', 'key', 'month', name=op.f('pk_report_step_deviations')))


def downgrade() -> None:
    op.drop_index('ix_tickets_waiting_groups', table_name='tickets')
    op.create_index('ix_tickets_waiting_groups', 'tickets', WAITING_INDEX[:3], unique=False)
    op.drop_index('ix_survey_answers_values', table_name='survey_answers')
    for table in ('report_step_deviations', 'report_step_times', 'report_step_pending',
                  'report_step_months'):
        op.drop_table(table)
    op.drop_table('report_rollup_state')
    op.drop_table('report_rollup_durations')
    op.drop_table('report_rollup_counts')
    op.drop_table('report_rollup_months')
    op.drop_index('ix_tickets_day', table_name='tickets')
    for column in ('fairness_guard', 'officer_id', 'first_called_at'):
        op.drop_column('tickets', column)  # SQLite 3.35+ drops a column in place
    op.create_index('ix_tickets_day', 'tickets', OLD_DAY_INDEX, unique=False)

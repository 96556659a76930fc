"""guest book: communication need, Pasal 26 notice and consent; tallies; data-subject log

guest_entries gain the visitor's communication need (who must be fetched rather than
called by the TV), how the notice reached a visitor with a disability and who consented.
guest_tallies keep monthly counts after the purge empties the rows; data_subject_actions
log an admin's find, export, correction or erasure at a visitor's request, with the reason.

Revision ID: 0008_personal_data
Revises: 0007_ppid_register
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0008_personal_data'
down_revision = '0007_ppid_register'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('guest_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('communication', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('notice_mode', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('consent_by', sa.String(length=16), nullable=True))

    op.create_table('guest_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_tallies')),
    sa.UniqueConstraint('month', 'field', 'code', name='uq_guest_tallies_month')
    )
    op.create_table('data_subject_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('entry_ids', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=False),
    sa.Column('at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_data_subject_actions_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_subject_actions'))
    )


def downgrade() -> None:
    op.drop_table('data_subject_actions')
    op.drop_table('guest_tallies')
    with op.batch_alter_table('guest_entries', schema=None) as batch_op:
        batch_op.drop_column('consent_by')
        batch_op.drop_column('notice_mode')
        batch_op.drop_column('communication')

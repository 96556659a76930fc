"""server-side staff sessions; one login-limit row per username and address

The session cookie carried the user's role and stayed valid after logout: sessions now
live in staff_sessions (the cookie holds a random id, the row its SHA-256), ended at
logout and after an idle time. login_attempts (a row per failure, counted without a
lock) becomes login_limits: one row per username and address, counted by one upsert.
The "agent" role needs no change: users.role is a plain string column.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_sessions_last_seen_at'), ['last_seen_at'], unique=False)

    op.create_table('login_limits',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_limits'))
    )
    with op.batch_alter_table('login_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_limits_window_start'), ['window_start'], unique=False)

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_key_at')
    op.drop_table('login_attempts')


def downgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_key_at', ['key', 'at'], unique=False)

    with op.batch_alter_table('login_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_limits_window_start'))
    op.drop_table('login_limits')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_last_seen_at'))
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))
    op.drop_table('staff_sessions')

"""PPID register: requester, format and delivery, proof print, refusal; objections

UU 14/2008 Pasal 22 ayat (2) names what the request register holds: the requester's
name and address, the subject, the form of the information and how it is delivered.
A request can end in a refusal under Pasal 17 (article letter and reason), and an
objection (keberatan, Pasal 35-36) gets its own number and due date.

Revision ID: 0007_ppid_register
Revises: 0006_visit_ticket
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0007_ppid_register'
down_revision = '0006_visit_ticket'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('requester_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('requester_email', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('info_format', sa.Enum(
            'softcopy', 'hardcopy', 'viewing', name='infoformat', native_enum=False,
            length=32), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.Enum(
            'in_person', 'post', 'email', name='delivery', native_enum=False, length=32),
            nullable=True))
        batch_op.add_column(sa.Column('proof_print_job_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column(
            'refused_at', queue_server.platform.database.UTCDateTime(timezone=True),
            nullable=True))
        batch_op.add_column(sa.Column('refused_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('refusal_article', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_info_requests_refused_by_users'), 'users',
                                    ['refused_by'], ['id'])

    op.create_table('info_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ground', sa.String(length=1), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('received_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_info_objections_received_by_users')),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_info_objections_request_id_info_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_objections')),
    sa.UniqueConstraint('number', name=op.f('uq_info_objections_number'))
    )
    with op.batch_alter_table('info_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_objections_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_objections_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('info_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_objections_request_id'))
        batch_op.drop_index(batch_op.f('ix_info_objections_day'))
    op.drop_table('info_objections')
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_info_requests_refused_by_users'),
                                 type_='foreignkey')
        for column in ('refusal_reason', 'refusal_article', 'refused_by', 'refused_at',
                       'proof_print_job_id', 'delivery', 'info_format', 'requester_email',
                       'requester_address', 'requester_name'):
            batch_op.drop_column(column)

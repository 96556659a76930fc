"""procedure: visits and their steps, guest book, requests, receipts, surveys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_sequences',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'day', name=op.f('pk_document_sequences'))
    )
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('gender', sa.String(length=32), nullable=True),
    sa.Column('education', sa.String(length=32), nullable=True),
    sa.Column('occupation', sa.String(length=32), nullable=True),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_day'), ['day'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('response_id', 'element', name='uq_survey_answers_response_id')
    )
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'completed', 'cancelled', name='visitstatus', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('aids', sa.JSON(), nullable=False),
    sa.Column('arrival_note', sa.Text(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('pickup_ticket_id', sa.Integer(), nullable=True),
    sa.Column('created_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('left_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_visits_created_by_users')),
    sa.ForeignKeyConstraint(['pickup_ticket_id'], ['tickets.id'], name=op.f('fk_visits_pickup_ticket_id_tickets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_visits_ticket_id_tickets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_day'), ['day'], unique=False)
        batch_op.create_index('ix_visits_status_position', ['status', 'position'], unique=False)

    op.create_table('guest_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('nik', sa.String(length=16), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('aids', sa.JSON(), nullable=False),
    sa.Column('companion', sa.String(length=200), nullable=True),
    sa.Column('guardian_name', sa.String(length=200), nullable=True),
    sa.Column('guardian_relation', sa.String(length=64), nullable=True),
    sa.Column('guardian_consent', sa.Boolean(), nullable=False),
    sa.Column('created_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('purged_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_guest_entries_created_by_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_guest_entries_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_entries')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_guest_entries_visit_id'))
    )
    with op.batch_alter_table('guest_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_entries_day'), ['day'], unique=False)

    op.create_table('info_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('requirements_complete', sa.Boolean(), nullable=False),
    sa.Column('same_day', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('in_process', 'result_ready', 'handed_over', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('received_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.Integer(), nullable=False),
    sa.Column('due_internal', sa.Date(), nullable=False),
    sa.Column('due_statutory', sa.Date(), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('extended_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extended_by', sa.Integer(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('result_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result_by', sa.Integer(), nullable=True),
    sa.Column('handed_over_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['extended_by'], ['users.id'], name=op.f('fk_info_requests_extended_by_users')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_info_requests_received_by_users')),
    sa.ForeignKeyConstraint(['result_by'], ['users.id'], name=op.f('fk_info_requests_result_by_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_info_requests_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_info_requests_number')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_info_requests_visit_id'))
    )
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_requests_day'), ['day'], unique=False)
        batch_op.create_index('ix_info_requests_status_due', ['status', 'due_internal'], unique=False)

    op.create_table('visit_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('step_key', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('started_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('completed_by', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_visit_steps_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['assigned_to'], ['users.id'], name=op.f('fk_visit_steps_assigned_to_users')),
    sa.ForeignKeyConstraint(['completed_by'], ['users.id'], name=op.f('fk_visit_steps_completed_by_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_steps_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_steps')),
    sa.UniqueConstraint('visit_id', 'position', name='uq_visit_steps_visit_id')
    )
    op.create_table('data_reveals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guest_entry_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=False),
    sa.Column('at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_data_reveals_by_user_id_users')),
    sa.ForeignKeyConstraint(['guest_entry_id'], ['guest_entries.id'], name=op.f('fk_data_reveals_guest_entry_id_guest_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_reveals'))
    )
    op.create_table('escort_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('step_record_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('in', 'out', name='escortkind', native_enum=False, length=32), nullable=False),
    sa.Column('aids', sa.JSON(), nullable=False),
    sa.Column('requested_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('done_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('place', sa.Enum('ult', 'exit', 'vehicle', name='escortplace', native_enum=False, length=32), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_escort_calls_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_escort_calls_done_by_users')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_escort_calls_requested_by_users')),
    sa.ForeignKeyConstraint(['step_record_id'], ['visit_steps.id'], name=op.f('fk_escort_calls_step_record_id_visit_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_escort_calls_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escort_calls'))
    )
    with op.batch_alter_table('escort_calls', schema=None) as batch_op:
        batch_op.create_index('ix_escort_calls_open', ['done_at', 'id'], unique=False)

    op.create_table('information_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('handed_over_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('print_job_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_information_receipts_officer_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_information_receipts_request_id_info_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_information_receipts_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_information_receipts')),
    sa.UniqueConstraint('number', name=op.f('uq_information_receipts_number')),
    sa.UniqueConstraint('request_id', name=op.f('uq_information_receipts_request_id'))
    )
    with op.batch_alter_table('information_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_information_receipts_day'), ['day'], unique=False)

    op.create_table('step_deviations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('step_record_id', sa.Integer(), nullable=False),
    sa.Column('step_key', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('responsible_user_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('standard_seconds', sa.Integer(), nullable=True),
    sa.Column('actual_seconds', sa.Integer(), nullable=False),
    sa.Column('over_seconds', sa.Integer(), nullable=False),
    sa.Column('over_working_days', sa.Integer(), nullable=True),
    sa.Column('recorded_at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['responsible_user_id'], ['users.id'], name=op.f('fk_step_deviations_responsible_user_id_users')),
    sa.ForeignKeyConstraint(['step_record_id'], ['visit_steps.id'], name=op.f('fk_step_deviations_step_record_id_visit_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_step_deviations_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_deviations')),
    sa.UniqueConstraint('step_record_id', name=op.f('uq_step_deviations_step_record_id'))
    )
    with op.batch_alter_table('step_deviations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_deviations_day'), ['day'], unique=False)

    op.create_table('step_equipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_record_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('provided', sa.Boolean(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=False),
    sa.Column('at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_step_equipment_by_user_id_users')),
    sa.ForeignKeyConstraint(['step_record_id'], ['visit_steps.id'], name=op.f('fk_step_equipment_step_record_id_visit_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_equipment')),
    sa.UniqueConstraint('step_record_id', 'item', name='uq_step_equipment_step_record_id')
    )
    op.create_table('step_reassignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('step_record_id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=False),
    sa.Column('letter_reference', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('by_user_id', sa.Integer(), nullable=False),
    sa.Column('at', queue_server.platform.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_step_reassignments_by_user_id_users')),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_step_reassignments_from_user_id_users')),
    sa.ForeignKeyConstraint(['step_record_id'], ['visit_steps.id'], name=op.f('fk_step_reassignments_step_record_id_visit_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_step_reassignments_to_user_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_step_reassignments_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_reassignments'))
    )
    with op.batch_alter_table('step_reassignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_reassignments_step_record_id'), ['step_record_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('step_reassignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_reassignments_step_record_id'))

    op.drop_table('step_reassignments')
    op.drop_table('step_equipment')
    with op.batch_alter_table('step_deviations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_deviations_day'))

    op.drop_table('step_deviations')
    with op.batch_alter_table('information_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_information_receipts_day'))

    op.drop_table('information_receipts')
    with op.batch_alter_table('escort_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_escort_calls_open')

    op.drop_table('escort_calls')
    op.drop_table('data_reveals')
    op.drop_table('visit_steps')
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_info_requests_status_due')
        batch_op.drop_index(batch_op.f('ix_info_requests_day'))

    op.drop_table('info_requests')
    with op.batch_alter_table('guest_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_entries_day'))

    op.drop_table('guest_entries')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_status_position')
        batch_op.drop_index(batch_op.f('ix_visits_day'))

    op.drop_table('visits')
    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_day'))

    op.drop_table('survey_responses')
    op.drop_table('document_sequences')

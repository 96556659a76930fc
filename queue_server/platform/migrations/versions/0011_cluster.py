"""leases: which process of a cluster sends a printer's jobs or runs a scheduled job

Revision ID: 0011_cluster
Revises: 0010_notifier
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

from queue_server.platform.database import UTCDateTime

revision = '0011_cluster'
down_revision = '0010_notifier'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'leases',
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('holder', sa.String(length=128), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('leases')

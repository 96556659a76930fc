"""`python -m queue_server.cli`: the same as `queue-server`."""
import sys

from queue_server.cli import main

sys.exit(main())

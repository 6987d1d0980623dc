"""Settings of the Celery worker the integration tests start: the product's own, plus one test hook.

REMINDERS_TEST_PAUSE_AFTER_CLAIM makes the sender wait after claiming a digest, so that a test can
kill the worker in the middle of a send. Only this module reads it; production never does.
"""

import os

from camau_tasks.settings import *  # noqa: F403

REMINDERS_TEST_PAUSE_AFTER_CLAIM = float(os.environ.get("REMINDERS_TEST_PAUSE_AFTER_CLAIM", "0"))

"""A file email backend whose first send hangs (until the test kills the worker)."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class FirstSendHangs(EmailBackend):
    def send_messages(self, messages):
        started = Path(os.environ["MAIL_MARKERS"]) / "started"
        if not started.exists():
            started.write_text(str(os.getpid()))
            time.sleep(120)  # the test kills us here
        return super().send_messages(messages)

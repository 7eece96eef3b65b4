"""Back-off for wrong editor passwords, per session and for the whole process (no Streamlit).

The first :data:`FREE_TRIES` wrong passwords of a session cost nothing; after that each try must
wait ``2 ** (wrong - FREE_TRIES)`` seconds (at most :data:`MAX_WAIT_S`) after the previous wrong one.
Wrong passwords from all sessions together are limited too: more than :data:`GLOBAL_LIMIT` within
:data:`GLOBAL_WINDOW_S` seconds closes editing for everybody until the window has passed (someone
trying passwords from many sessions). A right password resets the session's count.
"""
from __future__ import annotations

import threading
import time
from collections import deque

FREE_TRIES = 5
MAX_WAIT_S = 300.0
GLOBAL_LIMIT = 50
GLOBAL_WINDOW_S = 600.0


class PasswordThrottle:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._wrong: dict[str, tuple[int, float]] = {}  # session → (wrong tries, time of the last)
        self._recent: deque[float] = deque()  # times of wrong tries, all sessions

    def wait(self, session: str) -> float:
        """Seconds this session must still wait before a password may be tried (0: go ahead)."""
        now = self._clock()
        with self._lock:
            while self._recent and now - self._recent[0] > GLOBAL_WINDOW_S:
                self._recent.popleft()
            if len(self._recent) >= GLOBAL_LIMIT:
                return GLOBAL_WINDOW_S - (now - self._recent[0])
            wrong, last = self._wrong.get(session, (0, 0.0))
            if wrong < FREE_TRIES:
                return 0.0
            return max(0.0, min(MAX_WAIT_S, 2.0 ** (wrong - FREE_TRIES + 1)) - (now - last))

    def failed(self, session: str) -> None:
        now = self._clock()
        with self._lock:
            wrong, _ = self._wrong.get(session, (0, 0.0))
            self._wrong[session] = (wrong + 1, now)
            self._recent.append(now)

    def succeeded(self, session: str) -> None:
        with self._lock:
            self._wrong.pop(session, None)


#: The process-wide throttle of the editor password.
EDITOR_PASSWORD = PasswordThrottle()


def check_password(given: str | None, expected: str | None, session: str,
                   throttle: PasswordThrottle = EDITOR_PASSWORD) -> str | None:
    """None when editing is allowed (no password set, or the right one); else the Dutch reason."""
    import hmac

    from lib.texts_nl import fmt_number, t
    if expected is None:
        return None
    wait = throttle.wait(session)
    if wait > 0:
        return t("ini.wachtwoord_wacht", seconden=fmt_number(max(1, round(wait))))
    if hmac.compare_digest((given or "").encode(), expected.encode()):
        throttle.succeeded(session)
        return None
    throttle.failed(session)
    return t("ini.wachtwoord_fout")

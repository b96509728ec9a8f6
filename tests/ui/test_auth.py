from __future__ import annotations

import gradio as gr
import pytest
from pydantic import SecretStr

from rag.settings import Settings
from ui.auth import MAX_FAILURES, StaffSession, check_credentials, login, require_staff, staff_enabled


def _settings(user: str = "staff", password: str = "s3cret") -> Settings:
    return Settings(staff_user=user, staff_password=SecretStr(password))


def test_staff_tab_is_off_unless_user_and_password_are_set() -> None:
    assert not staff_enabled(Settings())
    assert not staff_enabled(_settings(password=""))
    assert staff_enabled(_settings())


def test_credentials_must_both_match() -> None:
    s = _settings()
    assert check_credentials(s, "staff", "s3cret")
    assert check_credentials(s, " staff ", "s3cret")
    assert not check_credentials(s, "staff", "wrong")
    assert not check_credentials(s, "other", "s3cret")
    assert not check_credentials(Settings(), "", "")


def test_login_locks_after_repeated_failures() -> None:
    s = _settings()
    session = StaffSession()
    for _ in range(MAX_FAILURES):
        session, msg = login(s, session, "staff", "wrong")
        assert not session.logged_in and "不正确" in msg
    session, msg = login(s, session, "staff", "s3cret")
    assert not session.logged_in and "次数过多" in msg
    ok, msg = login(s, StaffSession(), "staff", "s3cret")
    assert ok.logged_in and ok.user == "staff" and msg == ""


def test_require_staff_refuses_anonymous_sessions() -> None:
    with pytest.raises(gr.Error):
        require_staff(StaffSession())
    with pytest.raises(gr.Error):
        require_staff(None)
    require_staff(StaffSession(logged_in=True, user="staff"))


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lockout_is_per_account_and_address_not_per_session() -> None:
    from ui.auth import LoginThrottle

    s = _settings()
    clock = _Clock()
    throttle = LoginThrottle(max_failures=3, lockout_s=10.0, clock=clock)
    for _ in range(3):  # each attempt from a fresh browser session
        session, msg = login(s, StaffSession(), "staff", "wrong", throttle=throttle, client="10.0.0.9")
        assert not session.logged_in
    # the right password from a new session and the same address is refused during the lockout
    session, msg = login(s, StaffSession(), "staff", "s3cret", throttle=throttle, client="10.0.0.9")
    assert not session.logged_in and "锁定" in msg
    # the account is locked from another address too
    session, msg = login(s, StaffSession(), "staff", "s3cret", throttle=throttle, client="10.0.0.10")
    assert not session.logged_in and "锁定" in msg
    clock.now += 11
    session, msg = login(s, StaffSession(), "staff", "wrong", throttle=throttle, client="10.0.0.9")
    assert "不正确" in msg
    # a further failure doubles the lockout: 10 s is not enough any more
    clock.now += 11
    session, msg = login(s, StaffSession(), "staff", "s3cret", throttle=throttle, client="10.0.0.9")
    assert not session.logged_in and "锁定" in msg
    clock.now += 10
    session, msg = login(s, StaffSession(), "staff", "s3cret", throttle=throttle, client="10.0.0.9")
    assert session.logged_in and msg == ""
    # success clears the counters
    assert throttle.wait_s(LoginThrottle.keys("staff", "10.0.0.9")) == 0


def test_many_wrong_passwords_never_end_with_a_login() -> None:
    from ui.auth import LoginThrottle

    s = _settings()
    throttle = LoginThrottle(max_failures=5, lockout_s=60.0, clock=_Clock())
    for _ in range(120):
        login(s, StaffSession(), "staff", "wrong", throttle=throttle, client="192.0.2.1")
    session, _ = login(s, StaffSession(), "staff", "s3cret", throttle=throttle, client="192.0.2.1")
    assert not session.logged_in


def test_security_headers_middleware() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ui.auth import SECURITY_HEADERS, add_security_headers

    app = FastAPI()

    @app.get("/")
    def root() -> dict[str, str]:
        return {"ok": "yes"}

    add_security_headers(app)
    response = TestClient(app).get("/")
    assert response.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value

"""Lockout behind the proxy: by the browser's address, not the proxy's, with a limit per way of counting."""

from django.test import Client, RequestFactory, override_settings

from cppcc_portal.security import client_ip
from tests.builders import DEMO_PASSWORD

PROXY = "10.0.0.2"


def through_proxy(address: str) -> Client:
    """A browser at ``address`` behind our nginx, which appends it to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {address}")


def fail(client: Client, username: str, times: int) -> int:
    status = 0
    for _ in range(times):
        status = client.post("/accounts/login/", {"username": username, "password": "wrong"}).status_code
    return status


@override_settings(PORTAL_PROXY_COUNT=1)
def test_the_client_address_is_the_one_our_proxy_appended_not_what_the_browser_claims():
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1", "no header: the socket"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == PROXY


@override_settings(PORTAL_PROXY_COUNT=0)
def test_without_a_proxy_a_forged_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "192.0.2.5"


@override_settings(PORTAL_PROXY_COUNT=1)
def test_an_attacker_behind_the_proxy_locks_only_their_own_address(demo):
    attacker = through_proxy("198.51.100.66")
    assert fail(attacker, "member2", 5) == 429
    response = attacker.post("/accounts/login/", {"username": "member2", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    owner = through_proxy("198.51.100.10")
    response = owner.post("/accounts/login/", {"username": "member2", "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the owner, at another address, still signs in"


@override_settings(
    PORTAL_PROXY_COUNT=1, PORTAL_LOCKOUT_LIMITS={"ip_address": 8, "username+ip_address": 5, "username": 50}
)
def test_one_address_trying_many_accounts_is_locked(demo):
    attacker = through_proxy("198.51.100.67")
    for username in ("member1", "member2", "member3"):
        assert fail(attacker, username, 2) == 200, "two tries per account: under the per-account limit"
    assert fail(attacker, "leader", 1) == 200
    assert fail(attacker, "unit_edu", 1) == 429, "the eighth failure from one address"
    response = attacker.post("/accounts/login/", {"username": "unit_health", "password": DEMO_PASSWORD})
    assert response.status_code == 429


@override_settings(
    PORTAL_PROXY_COUNT=1, PORTAL_LOCKOUT_LIMITS={"ip_address": 30, "username+ip_address": 5, "username": 12}
)
def test_a_password_guessed_from_many_addresses_hits_the_higher_username_limit(demo):
    assert fail(through_proxy("198.51.100.100"), "member3", 4) == 200, "under the address's own limit"
    assert fail(through_proxy("198.51.100.101"), "member3", 4) == 200, "8 failures: more than 5, still open"
    assert fail(through_proxy("198.51.100.102"), "member3", 4) == 429, "the 12th failure pauses the account"
    response = through_proxy("198.51.100.201").post(
        "/accounts/login/", {"username": "member3", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429, "now the account itself is paused, from any address"


def test_the_username_alone_limit_is_well_above_the_per_address_ones(settings):
    limits = settings.PORTAL_LOCKOUT_LIMITS
    assert settings.AXES_FAILURE_LIMIT == limits["username+ip_address"] == 5
    assert limits["username"] > limits["ip_address"] > limits["username+ip_address"]

"""The web limits in memory: what counts as one address, and what many addresses cost."""

from __future__ import annotations

import ipaddress
import random

import pytest

from bot.channels.web import limits
from bot.channels.web.limits import FormLimit, RequestBudget, network_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def send(forms: FormLimit, address: str) -> bool:
    if forms.reserve(address):
        return False
    forms.settle(address, sent=True)
    return True


def test_one_ipv6_customer_is_one_address_whatever_address_each_form_comes_from():
    forms = FormLimit(3, Clock())
    customer = ipaddress.IPv6Network("2001:db8:aa:bb00::/56")
    sent = [send(forms, str(customer[random.getrandbits(72)])) for _ in range(5)]
    assert sent == [True] * 3 + [False] * 2
    assert send(forms, "2001:db8:aa:cc00::1"), "the next /56 is another customer"
    assert network_of("::ffff:192.0.2.7", 64) == "192.0.2.7", "IPv4-mapped is IPv4"


def test_a_flood_of_distinct_addresses_holds_bounded_memory(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(limits, "MAX_KEYS", 500)
    clock = Clock()
    budget = RequestBudget(per_minute=2, clock=clock)
    assert budget.wait("192.0.2.1") == 0 and budget.wait("192.0.2.1") == 0
    for n in range(5000):
        clock.now += 0.001
        budget.wait(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
        if n % 100 == 0:
            assert budget.wait("192.0.2.1") > 0, "a busy address stays counted"
    assert len(budget) <= 500


def test_addresses_quiet_for_the_window_are_forgotten_as_new_ones_come():
    clock = Clock()
    budget = RequestBudget(per_minute=600, clock=clock)
    for n in range(1000):
        budget.wait(f"10.0.{n // 256}.{n % 256}")
    clock.now += 61
    budget.wait("192.0.2.1")
    assert len(budget) == 1


def test_the_process_ceiling_holds_across_addresses():
    forms = FormLimit(6, Clock(), total_per_hour=4)
    sent = [send(forms, f"192.0.2.{n}") for n in range(6)]
    assert sent == [True] * 4 + [False] * 2

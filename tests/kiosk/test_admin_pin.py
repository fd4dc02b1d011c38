from __future__ import annotations

import io

import pytest

from kiosk.admin_pin import PinGuard, hash_pin, verify_pin
from kiosk.cli import main as kioskctl
from tests.conftest import FakeClock


def test_hash_is_salted_and_verifies() -> None:
    first, second = hash_pin("2468", iterations=1000), hash_pin("2468", iterations=1000)
    assert first != second and "2468" not in first
    assert verify_pin("2468", first) and verify_pin("2468", second)
    assert not verify_pin("2469", first)
    assert not verify_pin("2468", "garbage")


@pytest.mark.parametrize(
    "pin",
    ["12", "12ab", "1234567890123", "١٢٣٤", "۱۲۳۴", "１２３４", "¹²³⁴", "12 34", "-1234", ""],
)
def test_weak_or_malformed_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValueError):
        hash_pin(pin)


def test_wrong_pins_lock_out_with_growing_delay(clock: FakeClock) -> None:
    guard = PinGuard(hash_pin("2468", iterations=1000), clock=clock)
    assert not guard.try_pin("0000") and not guard.try_pin("0000")
    assert guard.seconds_locked() == 0
    assert not guard.try_pin("0000")  # third wrong PIN: locked
    assert guard.seconds_locked() == 30
    assert not guard.try_pin("2468")  # even the right PIN is refused while locked
    clock.advance(seconds=30)
    assert not guard.try_pin("1111")  # fourth wrong PIN: locked twice as long
    assert guard.seconds_locked() == 60
    clock.advance(seconds=60)
    assert guard.try_pin("2468")
    assert guard.failures == 0 and guard.seconds_locked() == 0


def test_no_pin_configured_means_no_admin_access(clock: FakeClock) -> None:
    assert not PinGuard("", clock=clock).try_pin("0000")


def test_kioskctl_hash_pin_prints_a_config_line_that_verifies() -> None:
    import subprocess
    import sys
    import tomllib

    result = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "hash-pin"],
        input="4821\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    stored = tomllib.loads(result.stdout)["admin"]["pin_hash"]
    assert verify_pin("4821", stored) and not verify_pin("4822", stored)
    refused = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "hash-pin"],
        input="12\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "4 to 12 digits" in refused.stderr


def test_hash_pin_command_refuses_digits_the_pad_cannot_enter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("١٢٣٤\n"))
    assert kioskctl(["hash-pin"]) == 1
    captured = capsys.readouterr()
    assert "each one of 0-9" in captured.err and "pin_hash" not in captured.out

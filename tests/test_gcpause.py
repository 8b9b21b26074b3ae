"""cradle.gcpause: the collector is off inside a pause, nested pauses end with the outermost, and a collector
that was off before stays off."""

import gc

from cradle import gcpause


def test_a_pause_holds_the_collector_off_until_the_outermost_ends():
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause ended, the outer holds
    assert gc.isenabled()


def test_a_pause_ends_even_when_the_read_fails():
    try:
        with gcpause.paused():
            raise ValueError("a read that failed")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()

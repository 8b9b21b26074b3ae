"""cradle.heap: once cradle is imported, columns freed and made again are served from memory the process kept,
not faulted in anew (each case in a fresh interpreter, so that nothing imported before decides the allocator's
state)."""

import subprocess
import sys

# Four 16 MiB columns made and freed, then made again: the page faults of the second time.
_FAULTS_MAKING_THEM_AGAIN = """
import resource, sys
import numpy as np
if sys.argv[1] == "cradle":
    import cradle  # noqa: F401
def columns():
    made = [np.ones(2 << 20) for _ in range(4)]
    del made
columns()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
columns()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(imported: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _FAULTS_MAKING_THEM_AGAIN, imported],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def test_columns_freed_are_made_again_without_faulting_their_pages_in():
    assert _faults("cradle") < 50


def test_without_cradle_the_same_columns_fault_their_pages_in_again():
    # glibc's defaults give the freed memory back (2,064 faults here), which the test above tells apart
    assert _faults("numpy") > 500


def test_the_c_library_took_both_settings():
    from cradle.heap import keep_freed_memory

    assert keep_freed_memory()

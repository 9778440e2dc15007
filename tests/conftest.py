"""Test-wide settings.

Hypothesis: no per-example deadline. The machines running the suite are small and shared, and the
tests check behaviour, never wall-clock time; speed is measured in benchmarks/.
"""

from hypothesis import settings

settings.register_profile("eventcode", deadline=None)
settings.load_profile("eventcode")

"""The worker's heap settings (queueapp.server.settle_the_heap), in a process of its own:
freezing and the collector's thresholds are process-wide."""
import subprocess
import sys

from queueapp.server import YOUNG_THRESHOLD

CHECK = """
import gc
from queueapp.server import settle_the_heap
middle_old = gc.get_threshold()[1:]
settle_the_heap()
print(gc.get_freeze_count() > 1000, gc.get_threshold()[0], gc.get_threshold()[1:] == middle_old)
"""


def test_the_start_up_heap_is_frozen_and_young_collections_come_less_often():
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", str(YOUNG_THRESHOLD), "True"]

"""cradle: fertility-support policy as working software."""

from cradle.heap import keep_freed_memory

keep_freed_memory()  # every cradle process: the engine's columns reuse freed memory (cradle.heap)

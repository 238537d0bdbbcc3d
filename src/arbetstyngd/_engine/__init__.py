"""The engine: internal tables, Arrow fast paths, scoring and the timeline sweep.

:mod:`.tables` holds the roster and the case table with its value keys, :mod:`.codes` the
Arrow fast paths, :mod:`.scoring` the snapshot arithmetic and :mod:`.timeline` the sweep over
dates. Nothing here imports readers, reports, plots, the CLI or calibration.
"""

__all__: list[str] = []

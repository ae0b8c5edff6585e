"""The Faust worker: the app, its agents and tables, the per-message logic and the tally arithmetic.

``faust -A streams.worker.app worker`` (or ``casualty worker``) loads :mod:`streams.worker.app`.
Importing this package imports nothing else, so the pure modules (:mod:`streams.worker.tally`,
:mod:`streams.worker.processing`) can be used without starting Faust.
"""

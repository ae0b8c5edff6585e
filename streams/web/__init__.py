"""The worker's web side: the JSON API routes, the output view they read, Prometheus metrics, the dashboard.

Importing this package imports nothing else (the agents use :mod:`streams.web.metrics` without the
web routes).
"""

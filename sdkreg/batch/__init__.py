"""``sdkreg batch``: many audits on a Dask cluster, recorded once each in the history store.

``manifest`` reads the items, ``work`` is what a worker runs, ``engine`` schedules and records.
Only ``manifest`` is importable without the ``batch`` extra (Dask); the others import Dask.
"""

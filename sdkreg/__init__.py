"""sdkreg: a registry of third-party Android SDKs and a privacy-policy cross-checker."""

__version__ = "0.1.0"

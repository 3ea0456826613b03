"""Routers, one module per capability; every module here is included by the app factory."""

"""Liaison: a keyboard-driven, offline-first CRM for an international talent liaison station."""

__version__ = "0.1.0"

"""All SQL of notify, by area: named functions taking a cursor first, bound parameters.

Callers import the area module: `from services.notify.store import contacts`."""

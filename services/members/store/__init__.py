"""All SQL of the members service, by area: named functions taking a cursor first, with bound
parameters."""

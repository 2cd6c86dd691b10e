"""The steps of `make k8s-check` (k8s/check.py), a module each: tools, render, schema, project
rules, commands, image and wheel, policy; `report` collects what they find and `objects` holds
what they share about rendered objects."""

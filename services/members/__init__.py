"""Members: identity, chapters in a federation, currents, mandates, working chapters, targets."""

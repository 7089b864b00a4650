"""torch.nn (being built)."""

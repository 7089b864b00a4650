"""torch.optim (being built)."""

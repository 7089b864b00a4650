"""torch.utils.data (being built)."""

"""torch.utils (public): ``utils.data`` (datasets, samplers, DataLoader) and ``utils.hooks``.

Not ``nn/utils/`` (the public ``torch.nn.utils``) nor ``nn/_utils.py`` (private helpers of the nn layers)."""

"""The nn family of the op table: the fused rows behind ``torch.nn.functional``.

Each submodule declares its ops with a NumPy forward and VJPs written in minitorch ops (backward
kernels are table rows themselves where a fused VJP is faster), so double backward needs no
extra code. ``minitorch.nn.functional`` composes these with the rest of the table. Importing a submodule
declares its ops; most load on first use of one of their names (``lazy_ops``).
"""

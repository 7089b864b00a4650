"""``torch.version``, plus minitorch's own release.

``__version__`` is the torch release whose behaviour minitorch reproduces (scripts compare
``torch.__version__``); ``minitorch`` is this package's own version, the one pip reports.
"""
__version__ = "2.13.0"
minitorch = "0.1.0"
cuda = None  # built for the CPU only, as torch's CPU wheels
hip = None
debug = False

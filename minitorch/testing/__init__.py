"""torch.testing: ``assert_close`` (torch's checks and messages), ``make_tensor`` (torch's random
draws), and the deprecated ``assert_allclose``."""
from ._comparison import assert_allclose, assert_close  # noqa: F401
from ._creation import make_tensor  # noqa: F401

"""torch.utils.data: datasets, samplers and the DataLoader."""
from .dataset import (  # noqa: F401
    ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset, TensorDataset, random_split,
)
from .sampler import (  # noqa: F401
    BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler,
)
from .distributed import DistributedSampler  # noqa: F401
from .collate import default_collate, default_convert  # noqa: F401
from ._fetch import _DatasetKind  # noqa: F401
from .dataloader import DataLoader, get_worker_info  # noqa: F401

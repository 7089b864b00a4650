#!/usr/bin/env python3
"""Train a small MLP on handwritten digits: an ordinary PyTorch script run on minitorch.

    python examples/train_mlp.py                      # scikit-learn's 8x8 digits, on minitorch
    python examples/train_mlp.py --backend torch      # the same script on real PyTorch
    python examples/train_mlp.py --data ~/mnist       # MNIST IDX files (gzipped or not), 784-128-10
    python examples/train_mlp.py --save ckpt.pt --stop-after 4   # a checkpoint after every epoch ...
    python examples/train_mlp.py --resume ckpt.pt                # ... and the rest of the run from it

With the same seed both backends start from the same weights and shuffle in the same order, so
they print the same losses (up to float rounding). Needs the ``examples`` extra (scikit-learn,
tqdm, matplotlib) for the default data, the progress bar and the plot; runs without the last two.
"""
from __future__ import annotations

import argparse
import gzip
import os
import struct
import sys
import time
from typing import Any

import numpy as np
from example_utils import load_torch, progress


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", choices=("minitorch", "torch"), default="minitorch")
    p.add_argument("--data", metavar="DIR", help="a directory holding the four MNIST IDX files")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    p.add_argument("--lr", type=float,
                   help="initial lr, cosine-annealed (default: 0.1 for SGD with momentum 0.9, 0.01 for Adam)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, help="train on the first N training samples only")
    p.add_argument("--plot", default="train_mlp.png", help="where to save the curves ('' for none)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--save", metavar="PATH",
                   help="write a checkpoint (model, optimizer, scheduler, RNG) after each epoch")
    p.add_argument("--resume", metavar="PATH", help="continue from a --save checkpoint: the remaining epochs print "
                   "what the uninterrupted run prints")
    p.add_argument("--stop-after", type=int, metavar="N", help="stop after epoch N, as an interrupted run would")
    return p.parse_args()


ARGS = parse_args()
torch = load_torch(ARGS.backend)

nn = torch.nn
Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader


# ---- data ---------------------------------------------------------------------------------------
def read_idx(path: str) -> np.ndarray:
    """An IDX file (MNIST's format): big-endian magic (0, 0, type 0x08 = ubyte, ndim), then dims."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find_idx(directory: str, stem: str) -> str:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    sys.exit(f"--data {directory}: no {stem}[.gz] there (the folder must hold MNIST's four IDX files)")


def load_mnist(directory: str) -> tuple[np.ndarray, ...]:
    """(train images, train labels, test images, test labels); images in [0, 1], shape (N, 1, 28, 28)."""
    out = []
    for split in ("train", "t10k"):
        images = read_idx(find_idx(directory, f"{split}-images-idx3-ubyte"))
        labels = read_idx(find_idx(directory, f"{split}-labels-idx1-ubyte"))
        out += [images[:, None].astype(np.float32) / 255, labels.astype(np.int64)]
    return tuple(out)


def load_sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 1797 8x8 digits: images in [0, 1], shape (N, 1, 8, 8)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("scikit-learn is not installed: python -m pip install -e '.[examples]' in this checkout, "
                 "or pass --data DIR with the MNIST files")
    digits = load_digits()
    return digits.images[:, None].astype(np.float32) / 16, digits.target.astype(np.int64)


class Digits(Dataset):
    """Normalized images and their labels, one (image, label) pair per index."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, mean: float, std: float) -> None:
        self.images = torch.from_numpy((images - mean) / std)
        self.labels = torch.from_numpy(labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        return self.images[index], self.labels[index]


def datasets(args: argparse.Namespace) -> tuple[Dataset, Dataset]:
    if args.data:
        if not os.path.isdir(args.data):
            sys.exit(f"--data {args.data}: no such folder (it must hold MNIST's four IDX files)")
        train_x, train_y, test_x, test_y = load_mnist(args.data)
    else:  # hold out a fifth of the digits, chosen by a seeded permutation
        x, y = load_sklearn_digits()
        order = torch.randperm(len(y), generator=torch.Generator().manual_seed(args.seed)).numpy()
        cut = len(y) * 4 // 5
        train_x, train_y, test_x, test_y = x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]
    if args.limit:
        train_x, train_y = train_x[:args.limit], train_y[:args.limit]
    mean, std = float(train_x.mean()), float(train_x.std())
    return Digits(train_x, train_y, mean, std), Digits(test_x, test_y, mean, std)


# ---- training -----------------------------------------------------------------------------------
def evaluate(model: Any, loader: DataLoader) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    model.train()
    return correct / len(loader.dataset)


def save_plot(path: str, title: str, losses: list[float], accuracies: list[float]) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    from matplotlib.ticker import MaxNLocator
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = range(1, len(losses) + 1)
    left.plot(epochs, losses, marker="o")
    left.set(title="training loss", xlabel="epoch")
    right.plot(epochs, [100 * a for a in accuracies], marker="o", color="tab:green")
    right.set(title="test accuracy (%)", xlabel="epoch")
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path)
    print(f"saved {path}")


def main(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    torch.manual_seed(args.seed)
    train_set, test_set = datasets(args)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=512)
    features = train_set.images[0].numel()
    model = nn.Sequential(nn.Flatten(), nn.Linear(features, 128), nn.ReLU(), nn.Linear(128, 10))
    criterion = nn.CrossEntropyLoss()
    if args.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr or 0.1, momentum=0.9)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr or 0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    print(f"backend: {args.backend}; {len(train_set)} training and {len(test_set)} test images")
    print(model)

    losses, accuracies, first_epoch = [], [], 1
    if args.resume:
        checkpoint = torch.load(args.resume)  # weights_only: tensors, state dicts and numbers only
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        torch.set_rng_state(checkpoint["rng_state"])  # the shuffling continues where it stopped
        losses, accuracies = checkpoint["losses"], checkpoint["accuracies"]
        first_epoch = checkpoint["epoch"] + 1
        print(f"resumed from {args.resume} after epoch {checkpoint['epoch']}")
    for epoch in range(first_epoch, args.epochs + 1):
        total, seen = 0.0, 0
        batches = progress(train_loader, len(train_loader), f"epoch {epoch}/{args.epochs}", not args.no_progress)
        for images, labels in batches:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            value = loss.item()
            total += value * len(labels)
            seen += len(labels)
            if not args.no_progress:
                batches.set_postfix(loss=value, refresh=False)  # drawn with the bar's next update
        scheduler.step()
        losses.append(total / seen)
        accuracies.append(evaluate(model, test_loader))
        print(f"epoch {epoch:2d}  loss {losses[-1]:.6f}  test accuracy {100 * accuracies[-1]:.2f}%")
        if args.save:  # written aside, then renamed: an interruption never leaves half a checkpoint
            torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(), "rng_state": torch.get_rng_state(),
                        "losses": losses, "accuracies": accuracies}, args.save + ".tmp")
            os.replace(args.save + ".tmp", args.save)
        if epoch == args.stop_after:
            break
    print(f"done in {time.perf_counter() - start:.1f} s")
    if args.plot:
        data = f"MNIST from {args.data}" if args.data else "scikit-learn's 8x8 digits"
        save_plot(args.plot, f"{args.backend}: MLP on {data}", losses, accuracies)


if __name__ == "__main__":
    main(ARGS)

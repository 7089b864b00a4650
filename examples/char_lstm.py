#!/usr/bin/env python3
"""Train a character-level LSTM language model: an ordinary PyTorch script run on minitorch.

    python examples/char_lstm.py                      # the bundled text, on minitorch
    python examples/char_lstm.py --backend torch      # the same script on real PyTorch
    python examples/char_lstm.py --text book.txt      # any UTF-8 text
    python -m minitorch examples/char_lstm.py --backend torch   # `import torch` answered by minitorch

An embedding, a 2-layer nn.LSTM and a linear read-out predict each next character (cross entropy,
Adam, gradient clipping); then the model writes a sample, one character at a time drawn with
torch.multinomial. With the same seed both backends start from the same weights, draw the same
batches and the same characters, so they print the same losses and the same sample (up to float
rounding). The progress bar uses tqdm when it is installed.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from example_utils import load_torch, progress

# The opening of Lewis Carroll's "Alice's Adventures in Wonderland" (1865, in the public domain).
TEXT = """\
Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to
do: once or twice she had peeped into the book her sister was reading, but it had no pictures or
conversations in it, "and what is the use of a book," thought Alice "without pictures or
conversations?"

So she was considering in her own mind (as well as she could, for the hot day made her feel very
sleepy and stupid), whether the pleasure of making a daisy-chain would be worth the trouble of
getting up and picking the daisies, when suddenly a White Rabbit with pink eyes ran close by her.

There was nothing so very remarkable in that; nor did Alice think it so very much out of the way to
hear the Rabbit say to itself, "Oh dear! Oh dear! I shall be late!" (when she thought it over
afterwards, it occurred to her that she ought to have wondered at this, but at the time it all
seemed quite natural); but when the Rabbit actually took a watch out of its waistcoat-pocket, and
looked at it, and then hurried on, Alice started to her feet, for it flashed across her mind that
she had never before seen a rabbit with either a waistcoat-pocket, or a watch to take out of it,
and burning with curiosity, she ran across the field after it, and fortunately was just in time to
see it pop down a large rabbit-hole under the hedge.

In another moment down went Alice after it, never once considering how in the world she was to get
out again.

The rabbit-hole went straight on like a tunnel for some way, and then dipped suddenly down, so
suddenly that Alice had not a moment to think about stopping herself before she found herself
falling down a very deep well.

Either the well was very deep, or she fell very slowly, for she had plenty of time as she went down
to look about her and to wonder what was going to happen next. First, she tried to look down and
make out what she was coming to, but it was too dark to see anything; then she looked at the sides
of the well, and noticed that they were filled with cupboards and book-shelves; here and there she
saw maps and pictures hung upon pegs. She took down a jar from one of the shelves as she passed; it
was labelled "ORANGE MARMALADE", but to her great disappointment it was empty: she did not like to
drop the jar for fear of killing somebody underneath, so managed to put it into one of the
cupboards as she fell past it.

"Well!" thought Alice to herself, "after such a fall as this, I shall think nothing of tumbling
down stairs! How brave they'll all think me at home! Why, I wouldn't say anything about it, even if
I fell off the top of the house!" (Which was very likely true.)

Down, down, down. Would the fall never come to an end? "I wonder how many miles I've fallen by this
time?" she said aloud. "I must be getting somewhere near the centre of the earth. Let me see: that
would be four thousand miles down, I think--" (for, you see, Alice had learnt several things of
this sort in her lessons in the schoolroom, and though this was not a very good opportunity for
showing off her knowledge, as there was no one to listen to her, still it was good practice to say
it over) "--yes, that's about the right distance--but then I wonder what Latitude or Longitude I've
got to?" (Alice had no idea what Latitude was, or Longitude either, but thought they were nice
grand words to say.)
"""


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", choices=("minitorch", "torch"), default="minitorch")
    p.add_argument("--text", metavar="FILE", help="train on this UTF-8 text instead of the bundled one")
    p.add_argument("--steps", type=int, default=400)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--seq-len", type=int, default=64, help="characters per training window")
    p.add_argument("--embed", type=int, default=32)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--dropout", type=float, default=0.0, help="between the LSTM layers")
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--clip", type=float, default=1.0, help="max gradient norm")
    p.add_argument("--log-every", type=int, default=50, help="print the mean loss every N steps")
    p.add_argument("--prompt", default="Alice ")
    p.add_argument("--sample-len", type=int, default=300, help="characters to generate after training")
    p.add_argument("--temperature", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p.parse_args()


ARGS = parse_args()
torch = load_torch(ARGS.backend)

nn, F = torch.nn, torch.nn.functional


class CharLSTM(nn.Module):
    """Characters in, next-character logits out; the LSTM state carries over between calls."""

    def __init__(self, vocab_size: int, embed: int, hidden: int, layers: int, dropout: float) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed)
        self.lstm = nn.LSTM(embed, hidden, layers, batch_first=True, dropout=dropout)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, chars: Any, state: Any = None) -> tuple[Any, Any]:
        out, state = self.lstm(self.embed(chars), state)
        return self.head(out), state


def read_text(args: argparse.Namespace) -> str:
    if args.text is None:
        return TEXT
    try:
        with open(args.text, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        sys.exit(f"--text {args.text}: {e.strerror}")


def random_windows(data: Any, batch_size: int, seq_len: int) -> tuple[Any, Any]:
    """``batch_size`` random windows of the text, and the same windows one character later."""
    starts = torch.randint(0, len(data) - seq_len - 1, (batch_size, 1))
    positions = starts + torch.arange(seq_len)
    return data[positions], data[positions + 1]


def generate(model: Any, prompt: str, length: int, temperature: float, stoi: dict, itos: list) -> str:
    """Continue ``prompt`` by ``length`` characters, each drawn from the model's next-character distribution."""
    model.eval()
    out = list(prompt)
    with torch.no_grad():
        logits, state = model(torch.tensor([[stoi[c] for c in prompt]]))
        for _ in range(length):
            probs = F.softmax(logits[0, -1] / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1)
            out.append(itos[nxt.item()])
            logits, state = model(nxt.view(1, 1), state)
    model.train()
    return "".join(out)


def main(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    text = read_text(args)
    itos = sorted(set(text + args.prompt))
    stoi = {c: i for i, c in enumerate(itos)}
    data = torch.tensor([stoi[c] for c in text])
    if len(data) < args.seq_len + 2:
        sys.exit(f"the text has {len(data)} characters: it needs more than --seq-len + 1 ({args.seq_len + 1})")
    model = CharLSTM(len(itos), args.embed, args.hidden, args.layers, args.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    print(f"backend: {args.backend}; {len(text)} characters, {len(itos)} distinct")
    print(model)
    start = time.perf_counter()
    steps = progress(range(1, args.steps + 1), args.steps, "training", not args.no_progress)
    total = 0.0
    for step in steps:
        inputs, targets = random_windows(data, args.batch_size, args.seq_len)
        logits, _ = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, len(itos)), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        optimizer.step()
        total += loss.item()
        if not args.no_progress:
            steps.set_postfix(loss=loss.item(), refresh=False)
        if step % args.log_every == 0 or step == args.steps:
            done = (step - 1) % args.log_every + 1
            print(f"step {step:5d}  loss {total / done:.4f}")
            total = 0.0
    print(f"trained in {time.perf_counter() - start:.1f} s")
    print(f"a sample at temperature {args.temperature}:")
    print(generate(model, args.prompt, args.sample_len, args.temperature, stoi, itos))


if __name__ == "__main__":
    main(ARGS)

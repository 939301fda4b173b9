"""Trains a small MLP on the 8x8 handwritten digits with PyTorch (CPU), as a scaletune command trial.

    npx scaletune run --study digits-torch --storage sqlite:./torch.db --trials 20 -- python3 examples/pytorch/train_digits.py

Tuned: the learning rate, the hidden width, the weight decay, the optimizer and the batch size. Each epoch it reports
the validation loss (cross-entropy, minimised) with the validation accuracy as a metric, and stops when the pruner
says so; it finishes with the last epoch's validation loss and saves the weights to the trial's artifact directory.
Run by hand (no worker) it trains once with the helper's defaults, or with SCALETUNE_PARAM_LR=0.01 and the like: see
examples/pytorch/README.md. Options: --epochs=N (default 15), --seed=N (the data split's; default 0).
"""

import argparse
import csv
import gzip
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The helper ships in the scaletune package's python/ folder: found here in a checkout (or the installed package's
# examples), or on PYTHONPATH="$(npx scaletune python-helper --path)".
sys.path.insert(0, os.path.join(REPO, "python"))

import scaletune_trial as st  # noqa: E402

try:
    import torch
    from torch import nn
except ImportError:
    sys.exit("train_digits.py needs PyTorch: apt-get install python3-torch (Debian) or pip install torch")

DIGITS = os.path.join(REPO, "data", "digits", "digits.csv.gz")
PIXELS, MAX_PIXEL, CLASSES = 64, 16.0, 10


def load_digits(path=DIGITS):
    """Rows of 64 pixel values (0-16) and a label (0-9), no header; pixels scaled to [0, 1]."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [row for row in csv.reader(f) if row]
    x = torch.tensor([[float(v) / MAX_PIXEL for v in row[:PIXELS]] for row in rows], dtype=torch.float32)
    y = torch.tensor([int(float(row[PIXELS])) for row in rows], dtype=torch.long)
    return x, y


def split(y, validation=0.2, seed=0):
    """Row indices of a stratified train/validation split: every digit keeps its share in both parts."""
    rng = random.Random(seed)
    train, valid = [], []
    for label in range(CLASSES):
        rows = [i for i, v in enumerate(y.tolist()) if v == label]
        rng.shuffle(rows)
        cut = round(len(rows) * validation)
        valid += rows[:cut]
        train += rows[cut:]
    rng.shuffle(train)
    return torch.tensor(train), torch.tensor(valid)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    # The worker may pass the parameters as --name=value too; the helper reads them from its file instead.
    args, _ = parser.parse_known_args()

    lr = st.suggest_float("lr", 1e-4, 0.3, log=True)
    hidden = st.suggest_int("hidden", 8, 256, log=True)
    weight_decay = st.suggest_float("weight_decay", 1e-6, 1e-2, log=True)
    optimizer_name = st.suggest_categorical("optimizer", ["adam", "sgd"])
    batch_size = st.suggest_categorical("batch_size", [32, 64, 128])

    torch.set_num_threads(1)  # a tiny model: one thread is fastest, and leaves the other cores to other trials
    torch.manual_seed(st.trial_number())
    x, y = load_digits()
    train, valid = split(y, seed=args.seed)
    x_train, y_train, x_valid, y_valid = x[train], y[train], x[valid], y[valid]

    model = nn.Sequential(nn.Linear(PIXELS, hidden), nn.ReLU(), nn.Linear(hidden, CLASSES))
    st.set_user_attr("parameters", sum(p.numel() for p in model.parameters()))
    if optimizer_name == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(x_train))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss_fn(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x_valid)
            val_loss = loss_fn(logits, y_valid).item()
            accuracy = (logits.argmax(dim=1) == y_valid).float().mean().item()
        print("epoch %d: validation loss %.4f, accuracy %.3f" % (epoch, val_loss, accuracy))
        if val_loss != val_loss or val_loss == float("inf"):
            # A diverged run (too high a learning rate): JSON cannot carry NaN, and nothing better will come of it.
            sys.exit("diverged at epoch %d (validation loss %s)" % (epoch, val_loss))
        st.report(val_loss, epoch, accuracy=accuracy)
        if st.should_prune():
            raise st.TrialPruned("pruned at epoch %d" % epoch)

    torch.save(model.state_dict(), os.path.join(st.artifact_dir(), "model.pt"))
    st.finish(val_loss, accuracy=accuracy)


if __name__ == "__main__":
    main()

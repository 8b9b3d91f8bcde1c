"""NumPy written well: the same float64 work as the app, as a fair baseline beside numpy_book.py.

The book's layers as matmuls (Affine → ReLU → … → Affine → softmax with cross-entropy), with:
  - no first-layer dx (nothing consumes it);
  - the loss taken from the gradient's own forward pass (no second forward);
  - an O(batch) sampler with distinct indices per batch: rng.choice(60000, batch, replace=False)
    with rng = np.random.default_rng(seed), instead of the legacy call that shuffles all 60000;
  - accuracy over each split in chunks of 10000 images.
Run with OpenBLAS's threads as the caller sets them (the bench gives 2).

Prints one JSON object: the book's workload (TwoLayerNet 784-50-10, init std 0.01, SGD lr 0.1,
batch 100, ITERS iterations, train and test accuracy on every image after iteration 0, every 600,
and for the final weights), evaluation throughput, and ms per iteration for each grid cell.
Usage: python3 numpy_lean.py DATA_DIR [--iters N] [--grid JSON] [--grid-iters N] [--cells]
  --grid '[[[50], 100], [[100, 50], 100]]': (hidden sizes, batch) cells, training only.
  --cells: after loading the data, print {"ready": true}, then run one cell per line of stdin
  ('[[50], 100]') and print its result as a line, until stdin ends; so a caller can alternate
  its own cells with these, and both meet the machine in the same state.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np

CHUNK = 10000


def idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


class Net:
    def __init__(self, rng, sizes, std=0.01):
        self.W = [std * rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(b) for b in sizes[1:]]

    def predict(self, x):
        z = x
        for W, b in zip(self.W[:-1], self.b[:-1]):
            z = np.maximum(z @ W + b, 0)
        return z @ self.W[-1] + self.b[-1]

    def step(self, x, labels, lr):
        """One SGD step; returns the batch loss of its forward pass (before the update)."""
        n = x.shape[0]
        zs, masks = [x], []
        z = x
        for W, b in zip(self.W[:-1], self.b[:-1]):
            a = z @ W + b
            mask = a > 0
            z = a * mask
            zs.append(z)
            masks.append(mask)
        logits = z @ self.W[-1] + self.b[-1]
        m = logits.max(axis=1, keepdims=True)
        e = np.exp(logits - m)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = float(np.mean(np.log(s[:, 0]) + m[:, 0] - logits[rows, labels]))
        dy = e / s
        dy[rows, labels] -= 1
        dy /= n
        for k in range(len(self.W) - 1, -1, -1):
            dW = zs[k].T @ dy
            db = dy.sum(axis=0)
            if k > 0:
                dy = dy @ self.W[k].T
                dy *= masks[k - 1]
            self.W[k] -= lr * dW
            self.b[k] -= lr * db
        return loss

    def accuracy(self, x, labels, count=None):
        count = x.shape[0] if count is None else min(count, x.shape[0])
        correct = 0
        for i in range(0, count, CHUNK):
            j = min(i + CHUNK, count)
            correct += int(np.sum(np.argmax(self.predict(x[i:j]), axis=1) == labels[i:j]))
        return correct / count


def book(x_train, l_train, x_test, l_test, iters):
    rng = np.random.default_rng(0)
    net = Net(rng, [784, 50, 10])
    n = x_train.shape[0]
    train_s = eval_s = 0.0
    evals = 0
    acc = (0.0, 0.0)
    start = time.perf_counter()
    for i in range(iters):
        t0 = time.perf_counter()
        mask = rng.choice(n, 100, replace=False)
        net.step(x_train[mask], l_train[mask], 0.1)
        t1 = time.perf_counter()
        train_s += t1 - t0
        if i % 600 == 0 or i == iters - 1:
            acc = (net.accuracy(x_train, l_train), net.accuracy(x_test, l_test))
            evals += 1
            eval_s += time.perf_counter() - t1
    seconds = time.perf_counter() - start
    # evaluation throughput: the whole test split and as many training images, best of three
    count = x_test.shape[0]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        net.accuracy(x_train, l_train, count)
        net.accuracy(x_test, l_test, count)
        best = min(best, time.perf_counter() - t0)
    return {
        "seconds": seconds,
        "trainSeconds": train_s,
        "evalSeconds": eval_s,
        "evaluations": evals,
        "trainAcc": acc[0],
        "testAcc": acc[1],
        "evalImagesPerSecond": (min(count, n) + count) / best,
    }


def cell(x_train, l_train, hidden, batch, iters):
    n = x_train.shape[0]
    rng = np.random.default_rng(0)
    net = Net(rng, [784, *hidden, 10])
    for _ in range(20):  # warm-up: first-touch of the buffers, OpenBLAS's threads
        mask = rng.choice(n, batch, replace=False)
        net.step(x_train[mask], l_train[mask], 0.1)
    t0 = time.perf_counter()
    for _ in range(iters):
        mask = rng.choice(n, batch, replace=False)
        net.step(x_train[mask], l_train[mask], 0.1)
    return {"hiddenSizes": hidden, "batch": batch, "msPerIter": (time.perf_counter() - t0) * 1000 / iters}


def grid(x_train, l_train, cells, iters):
    return [cell(x_train, l_train, hidden, batch, iters) for hidden, batch in cells]


def serve_cells(x_train, l_train, iters):
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            hidden, batch = json.loads(line)
            print(json.dumps(cell(x_train, l_train, hidden, batch, iters)), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--iters", type=int, default=10000)
    p.add_argument("--grid", default="[]")
    p.add_argument("--grid-iters", type=int, default=300)
    p.add_argument("--cells", action="store_true")
    a = p.parse_args()
    x_train = idx(os.path.join(a.data, "train-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float64) / 255.0
    l_train = idx(os.path.join(a.data, "train-labels-idx1-ubyte"), 8).astype(np.intp)
    x_test = idx(os.path.join(a.data, "t10k-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float64) / 255.0
    l_test = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte"), 8).astype(np.intp)
    if a.cells:
        serve_cells(x_train, l_train, a.grid_iters)
        return
    result = book(x_train, l_train, x_test, l_test, a.iters) if a.iters > 0 else {}
    result["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["grid"] = grid(x_train, l_train, json.loads(a.grid), a.grid_iters)
    result["numpy"] = np.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""The book's chapter 5 workload in numpy, as the reference a user would otherwise run.

TwoLayerNet 784-50-10 (ReLU, init std 0.01), SGD lr 0.1, batch 100, 10000 iterations,
np.random.choice(60000, 100, replace=False) per step, loss recomputed after each update,
train and test accuracy on all images every 600 iterations from iteration 0.
Prints one JSON object. Usage: python3 numpy_book.py DATA_DIR [ITERS]
"""
import json
import os
import resource
import sys
import time

import numpy as np


def idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


def main():
    data = sys.argv[1]
    iters = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    x_train = idx(os.path.join(data, "train-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float64) / 255.0
    t_train = np.eye(10)[idx(os.path.join(data, "train-labels-idx1-ubyte"), 8)]
    x_test = idx(os.path.join(data, "t10k-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float64) / 255.0
    t_test = np.eye(10)[idx(os.path.join(data, "t10k-labels-idx1-ubyte"), 8)]

    rng = np.random
    W1 = 0.01 * rng.randn(784, 50); b1 = np.zeros(50)
    W2 = 0.01 * rng.randn(50, 10); b2 = np.zeros(10)

    def predict(x):
        return np.maximum(x @ W1 + b1, 0) @ W2 + b2

    def accuracy(x, t):
        return float(np.mean(np.argmax(predict(x), axis=1) == np.argmax(t, axis=1)))

    def softmax(a):
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss(x, t):
        y = softmax(predict(x))
        return -np.sum(t * np.log(y + 1e-7)) / x.shape[0]

    train_s = eval_s = 0.0
    start = time.perf_counter()
    acc = (0.0, 0.0)
    for i in range(iters):
        t0 = time.perf_counter()
        mask = rng.choice(60000, 100, replace=False)
        x, t = x_train[mask], t_train[mask]
        a1 = x @ W1 + b1
        z1 = np.maximum(a1, 0)
        y = softmax(z1 @ W2 + b2)
        dy = (y - t) / 100
        dW2 = z1.T @ dy; db2 = dy.sum(axis=0)
        dz1 = dy @ W2.T
        dz1[a1 <= 0] = 0
        dW1 = x.T @ dz1; db1 = dz1.sum(axis=0)
        W1 -= 0.1 * dW1; b1 -= 0.1 * db1; W2 -= 0.1 * dW2; b2 -= 0.1 * db2
        loss(x, t)
        t1 = time.perf_counter()
        train_s += t1 - t0
        if i % 600 == 0:
            acc = (accuracy(x_train, t_train), accuracy(x_test, t_test))
            eval_s += time.perf_counter() - t1
    print(json.dumps({
        "seconds": time.perf_counter() - start,
        "trainSeconds": train_s,
        "evalSeconds": eval_s,
        "trainAcc": acc[0],
        "testAcc": acc[1],
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()

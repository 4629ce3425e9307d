"""Baseline for `regulars bench clv`: the BG/NBD maximum-likelihood fit as a data scientist would run
it in Python, on the same customer summary, timed inside the process.

The log-likelihood is Fader, Hardie & Lee (2005), section 7, vectorised with numpy over every customer
(one row each, as lifetimes does without weights), minimised on log-parameters by
scipy.optimize.minimize with Nelder-Mead (the method lifetimes used before it moved to autograd and
BFGS), with times scaled by 10 / max(T) and every log-parameter starting at 0.1 as lifetimes does.
A second timing fits the same likelihood with identical customers collapsed into weights.

Usage: python3 clv_baseline.py SUMMARY.csv [REPEATS]   (CSV columns frequency,recency,T)
Prints one JSON object.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln


def negative_log_likelihood(log_params, x, tx, T, w):
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx)
    m = np.maximum(a3, a4)
    ll = a1 + a2 + m + np.log(np.exp(a3 - m) + (x > 0) * np.exp(a4 - m))
    return -(w * ll).sum() / w.sum()


def fit(x, tx, T, w):
    scale = 10.0 / T.max()
    result = minimize(
        negative_log_likelihood,
        0.1 * np.ones(4),
        args=(x, tx * scale, T * scale, w),
        method="Nelder-Mead",
        tol=1e-8,
        options={"maxiter": 10_000, "maxfev": 20_000},
    )
    r, alpha, a, b = np.exp(result.x)
    alpha /= scale
    params = np.log([r, alpha, a, b])
    return {
        "r": float(r),
        "alpha": float(alpha),
        "a": float(a),
        "b": float(b),
        "logLikelihood": float(-negative_log_likelihood(params, x, tx, T, w) * w.sum()),
        "evaluations": int(result.nfev),
        "converged": bool(result.success),
    }


def timed(repeats, f):
    times = []
    out = None
    for _ in range(repeats):
        started = time.perf_counter()
        out = f()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1, 2), ndmin=2)
    x, tx, T = data[:, 0], data[:, 1], data[:, 2]
    ms, result = timed(repeats, lambda: fit(x, tx, T, np.ones_like(x)))
    patterns, counts = np.unique(data, axis=0, return_counts=True)
    collapsed_ms, collapsed = timed(repeats, lambda: fit(patterns[:, 0], patterns[:, 1], patterns[:, 2], counts.astype(float)))
    print(json.dumps({
        "method": "scipy.optimize.minimize(method='Nelder-Mead', tol=1e-8), numpy log-likelihood, one row per customer",
        "ms": ms,
        "fit": result,
        "collapsed_ms": collapsed_ms,
        "collapsed_fit": collapsed,
        "patterns": int(len(counts)),
        "repeats": repeats,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }))


if __name__ == "__main__":
    main()

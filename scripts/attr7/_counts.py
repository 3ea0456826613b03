"""Exploration (attr7): precision and recall of (tp, fp, fn, tn) counts, for the tables."""


def pr(c):
    tp, fp, fn, _ = c
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def cell(c):
    p, r = pr(c)
    return f"{p:.3f} / {r:.3f}"

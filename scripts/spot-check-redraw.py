#!/usr/bin/env python3
"""Redraws a spot check (数据抽查) from its frame and seed, independently of Taizhang.

Usage: spot-check-redraw.py FRAME.csv SEED (percent P MIN | fixed N) [flagged-first]

FRAME.csv has one line per organization: code,stratum_code[,1 if it has an open red flag].
Prints the frame's SHA-256 and the sample, one "stratum_code,position,code" per line, by the
algorithm documented in Sources/TaizhangCore/Verification/SpotCheckDraw.swift.
"""
import csv, hashlib, sys

MASK = (1 << 64) - 1

class SplitMix64:
    def __init__(self, seed): self.state = seed & MASK
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

def uniform(gen, bound):
    threshold = ((1 << 64) - bound) % bound
    while True:
        x = gen.next()
        if x >= threshold: return x % bound

def partial_shuffle(gen, items, k):
    items = list(items)
    for i in range(k):
        j = i + uniform(gen, len(items) - i)
        items[i], items[j] = items[j], items[i]
    return items[:k]

def sample_size(rule, size):
    if rule[0] == "fixed":
        if rule[1] > size: sys.exit(f"stratum of {size} cannot give {rule[1]}")
        return rule[1]
    hundredths = round(float(rule[1]) * 100)
    return min(size, max(int(rule[2]), (hundredths * size + 9999) // 10000))

def redraw(frame, seed, rule, flagged_first):
    frame = sorted(frame, key=lambda r: r[0].encode())
    print(hashlib.sha256("\n".join(r[0] for r in frame).encode()).hexdigest())
    gen = SplitMix64(seed)
    for stratum in sorted({r[1] for r in frame}, key=str.encode):
        members = [r for r in frame if r[1] == stratum]
        n = sample_size(rule, len(members))
        flagged = [r[0] for r in members if flagged_first and r[2]]
        rest = [r[0] for r in members if not (flagged_first and r[2])]
        k = min(n, len(flagged))
        drawn = partial_shuffle(gen, flagged, k) + partial_shuffle(gen, rest, n - k)
        for position, code in enumerate(drawn, 1): print(f"{stratum},{position},{code}")

if __name__ == "__main__":
    args = sys.argv[1:]
    with open(args[0], newline="") as f:
        frame = [(row[0], row[1], len(row) > 2 and row[2] == "1") for row in csv.reader(f) if row]
    rule = ("fixed", int(args[3])) if args[2] == "fixed" else ("percent", args[3], args[4])
    redraw(frame, int(args[1]), rule, "flagged-first" in args)

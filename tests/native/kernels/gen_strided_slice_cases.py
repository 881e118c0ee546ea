#!/usr/bin/env python3
"""Writes strided_slice_cases.json: random TFLite STRIDED_SLICE specs with NumPy's basic-indexing result as the
independent oracle (NumPy clamps slice bounds exactly as TensorFlow's strided slice does; `...`, None and an
integer index are ellipsis_mask, new_axis_mask and shrink_axis_mask). Shrunk entries use stride 1, as TensorFlow
emits them. Regenerate with: python3 tests/native/kernels/gen_strided_slice_cases.py (NumPy needed only here)."""
import json
import os
import random

import numpy as np

random.seed(20261126)
cases = []
while len(cases) < 160:
    rank = random.randint(1, 4)
    shape = [random.randint(1, 4) for _ in range(rank)]
    entries = []  # (kind, begin, end, stride, begin_masked, end_masked)
    has_ellipsis = False
    budget_new_axes = 5 - rank
    for _ in range(random.randint(1, rank + 1)):
        r = random.random()
        if r < 0.12 and not has_ellipsis:
            has_ellipsis = True
            entries.append(('ellipsis', 0, 0, 1, False, False))
        elif r < 0.22 and budget_new_axes > 0:
            budget_new_axes -= 1
            entries.append(('new', 0, 0, 1, False, False))
        elif r < 0.40:
            b = random.randint(-5, 5)
            entries.append(('shrink', b, b + 1, 1, False, False))
        else:
            stride = random.choice([1, 1, 2, 3, -1, -2])
            entries.append(('slice', random.randint(-6, 6), random.randint(-6, 6), stride,
                            random.random() < 0.25, random.random() < 0.25))
    consumed = sum(1 for e in entries if e[0] in ('slice', 'shrink'))
    if consumed > rank or (has_ellipsis and consumed == rank):
        continue  # too many entries; or an ellipsis spanning no axis, which layout-params.ts refuses (TFLite differs)
    index = []
    for kind, b, e, s, bm, em in entries:
        if kind == 'ellipsis':
            index.append(Ellipsis)
        elif kind == 'new':
            index.append(None)
        elif kind == 'shrink':
            index.append(b)
        else:
            index.append(slice(None if bm else b, None if em else e, s))
    data = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    try:
        result = data[tuple(index)]
    except IndexError:
        continue  # an out-of-range integer index: TensorFlow rejects it too
    if result.size == 0 and random.random() < 0.85:
        continue  # keep a few empty slices, mostly ones with data
    mask = lambda pred: sum(1 << i for i, e in enumerate(entries) if pred(e))
    cases.append({
        'shape': shape,
        'begin': [e[1] for e in entries],
        'end': [e[2] for e in entries],
        'strides': [e[3] for e in entries],
        'beginMask': mask(lambda e: e[4]),
        'endMask': mask(lambda e: e[5]),
        'ellipsisMask': mask(lambda e: e[0] == 'ellipsis'),
        'newAxisMask': mask(lambda e: e[0] == 'new'),
        'shrinkAxisMask': mask(lambda e: e[0] == 'shrink'),
        'numpy': repr(tuple(index)),
        'expectedShape': list(result.shape),
        'expected': [int(v) for v in np.asarray(result).reshape(-1)],
    })

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'strided_slice_cases.json')
with open(out, 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
    f.write('\n')
print(f'{len(cases)} cases -> {out}')

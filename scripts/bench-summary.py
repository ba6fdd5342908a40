#!/usr/bin/env python3
"""bench-summary.py LOG...: medians of the sPAPR TCE benchmark runs.

Each LOG is the console of one guest run, named bench-KERNEL-N.log; the
lines come from tools/testing/selftests/vfio/vfio_spapr_tce_bench.c.
Prints per kernel and window the median times, the speedup of the
dynamic windows over the default 4K window, and series/base ratios.
"""
import re
import statistics
import sys
from collections import defaultdict

WHOLE = re.compile(r'bench: (\S+)\s+(\d+) TCEs, one ioctl each way: map\s+([\d.]+) s, unmap\s+([\d.]+) s')
PER = re.compile(r'bench: (\S+)\s+(\d+) ioctls, one per TCE.*: map\s+([\d.]+) s, unmap\s+([\d.]+) s')

runs = defaultdict(lambda: defaultdict(list))   # kernel -> (window, metric) -> [s]
tces = {}
for path in sys.argv[1:]:
    kernel = re.search(r'bench-([a-z]+)-\d+\.log$', path).group(1)
    for line in open(path, errors='replace'):
        m = WHOLE.search(line)
        if m:
            w = m.group(1)
            tces[w] = int(m.group(2))
            runs[kernel][(w, 'map')].append(float(m.group(3)))
            runs[kernel][(w, 'unmap')].append(float(m.group(4)))
        m = PER.search(line)
        if m:
            w = m.group(1)
            runs[kernel][(w, 'map/TCE')].append(float(m.group(3)))
            runs[kernel][(w, 'unmap/TCE')].append(float(m.group(4)))

windows = [w for w in ('default-4K', 'ddw-64K', 'ddw-2M') if w in tces]
metrics = ('map', 'unmap', 'map/TCE', 'unmap/TCE')
med = {k: {key: statistics.median(v) for key, v in d.items()} for k, d in runs.items()}
n = {k: len(next(iter(d.values()))) for k, d in runs.items()}

print('1 GiB made DMA-able; seconds, median of %s runs; "one ioctl" = one MAP_DMA/UNMAP_DMA '
      'for the range, "/TCE" = one ioctl per TCE (2 ioctls per TCE in all)' %
      ', '.join('%d %s' % (n[k], k) for k in sorted(n)))
print('%-8s %-11s %8s %13s %13s %13s %13s' % ('kernel', 'window', 'TCEs', 'map', 'unmap',
                                              'map/TCE', 'unmap/TCE'))
for k in sorted(med):
    for w in windows:
        print('%-8s %-11s %8d %13.4f %13.4f %13.4f %13.4f' %
              ((k, w, tces[w]) + tuple(med[k].get((w, m), float('nan')) for m in metrics)))
for k in sorted(med):
    base = med[k].get(('default-4K', 'map'))
    for w in windows[1:]:
        t = med[k].get((w, 'map'))
        if base and t:
            print('%s: default-4K / %s map time: %.1fx (%d vs %d TCEs)' %
                  (k, w, base / t, tces['default-4K'], tces[w]))
if 'series' in med and 'base' in med:
    for w in windows:
        print('series / base, %s: %s' % (w, '  '.join(
            '%s %.2f' % (m, med['series'][(w, m)] / med['base'][(w, m)])
            for m in metrics if med['base'].get((w, m)))))

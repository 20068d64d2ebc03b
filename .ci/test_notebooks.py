#!/usr/bin/env python3
"""Test every notebook twice and print one summary line `N passed, M failed`.

1. `nbdev_test` (the project's test command; cells flagged with `tst_flags` are skipped).
2. The same notebooks once more through a real Jupyter kernel (nbclient + ipykernel, as JupyterLab runs them),
   with the same cells skipped, so that anything that only breaks under a kernel (display, `__file__`,
   multiprocessing from a kernel, relative paths) fails here and not in a user's JupyterLab.
3. The numerically sensitive notebooks (`AVX2_NBS`) a third time on the AVX2 kernel path
   (ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2): machines of this kind change CPU between AVX2-only and
   AVX-512/AMX, rounding differs in the last bits between the paths, and every tolerance must hold on both.
   `--no-avx2` skips it.
"""
import configparser, os, re, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent
cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini')
skip_flags = set(cfg['DEFAULT']['tst_flags'].split())
nbs = sorted(p for p in (root/'nbs').rglob('*.ipynb')
             if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)

def directives(src):
    "The `#| ...` directives at the top of a cell, as {name: [args]}."
    out = {}
    for line in src.splitlines():
        m = re.match(r'\s*#\|\s*([\w-]+:?)\s*(.*)', line)
        if not m:
            if line.strip(): break
            continue
        out[m[1]] = m[2].split()
    return out

def skipped(cell):
    if cell.cell_type != 'code': return False
    d = directives(cell.source)
    return bool(skip_flags & d.keys()) or d.get('eval:', [''])[0].lower() == 'false'

def run_in_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if not skipped(c)]
    t0 = time.time()
    try:
        # the kernel's own stderr only carries ZMQ start-up chatter; cell errors come back through the protocol
        NotebookClient(nb, timeout=1800, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute(stderr=subprocess.DEVNULL)
        return None, time.time() - t0
    except Exception as e:
        return str(e)[-3000:], time.time() - t0

AVX2_NBS = ['05_box_head.ipynb', '09_roi_heads.ipynb', '12_parity.ipynb', '13_baselines.ipynb', '20_train.ipynb']
AVX2_ENV = dict(ATEN_CPU_CAPABILITY='avx2', ONEDNN_MAX_CPU_ISA='AVX2')

def run_avx2(name):
    t0 = time.time()
    r = subprocess.run(['nbdev_test', '--path', f'nbs/{name}'], cwd=root, capture_output=True, text=True,
                       env={**os.environ, **AVX2_ENV})
    return (None if r.returncode == 0 else (r.stdout + r.stderr)[-3000:]), time.time() - t0

def main():
    failed = {}
    t0 = time.time()
    r = subprocess.run(['nbdev_test', '--timing'], cwd=root, capture_output=True, text=True)
    sys.stdout.write(r.stdout); sys.stderr.write(r.stderr[-20000:])
    if r.returncode:
        names = set(re.findall(r'^\s*(\S+\.ipynb)\s*$', r.stderr, flags=re.M))
        for p in nbs:
            if p.name in names: failed[p] = 'nbdev_test failed'
        if not names: failed[root/'nbs'] = 'nbdev_test failed'
    print(f'nbdev_test: {time.time()-t0:.0f} s')
    with ThreadPoolExecutor(2) as ex:
        for p, (err, dt) in zip(nbs, ex.map(run_in_kernel, nbs)):
            print(f"kernel {'ok  ' if err is None else 'FAIL'} {p.relative_to(root)} ({dt:.0f} s)", flush=True)
            if err is not None:
                print(err, file=sys.stderr); failed.setdefault(p, 'kernel run failed')
    if '--no-avx2' not in sys.argv:
        cap = subprocess.run([sys.executable, '-c', 'import torch; print(torch.backends.cpu.get_cpu_capability())'],
                             capture_output=True, text=True, env={**os.environ, **AVX2_ENV}).stdout.strip()
        print(f'AVX2-path pass: torch reports CPU capability {cap}', flush=True)
        with ThreadPoolExecutor(2) as ex:
            for name, (err, dt) in zip(AVX2_NBS, ex.map(run_avx2, AVX2_NBS)):
                print(f"avx2   {'ok  ' if err is None else 'FAIL'} nbs/{name} ({dt:.0f} s)", flush=True)
                if err is not None:
                    print(err, file=sys.stderr); failed.setdefault(root/'nbs'/name, 'AVX2-path run failed')
    for p, why in failed.items(): print(f'FAILED {p.relative_to(root)}: {why}')
    n_fail = len(failed)
    print(f'{len(nbs) - len([p for p in failed if p in nbs])} passed, {n_fail} failed')
    sys.exit(1 if n_fail else 0)

if __name__ == '__main__': main()

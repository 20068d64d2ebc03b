"""Evaluation noise of the 200-image shapes val set: bootstrap the val images for two ablation runs of one seed.

    python scripts/eval_noise.py --runs t2_baseline t2_sc --seed 0 [--n 50]

Re-evaluates both seed-k checkpoints with `scnet eval` (keeping their detections), redraws the val images with
replacement `--n` times (the same draw for both), and writes results/ablation/eval_noise.json: each run's mask AP
spread and the spread of their paired difference (percent).
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import numpy as np
from scnet.core import save_json
from scnet.experiments import bootstrap_ap

ROOT = Path(__file__).resolve().parent.parent

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--runs', nargs=2, default=['t2_baseline', 't2_sc']); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--n', type=int, default=50); p.add_argument('--ablation', default=str(ROOT / 'results/ablation'))
    p.add_argument('--data', default=str(ROOT / 'data/shapes')); p.add_argument('--threads', type=int, default=1)
    a = p.parse_args(argv)
    t0 = time.time(); dets = []
    for r in a.runs:
        ck = Path(a.ablation) / r / f'seed{a.seed}' / 'checkpoints' / 'latest.pth'
        if not ck.exists(): sys.exit(f'eval_noise: {ck} does not exist (run scnet ablate first)')
        out = Path('/tmp/eval_noise') / r
        subprocess.run([sys.executable, '-m', 'scnet.evaluate', '--checkpoint', str(ck), '--data', a.data, '--out', str(out),
                        '--overwrite', '--workers', '0'], check=True, env={**os.environ, 'OMP_NUM_THREADS': str(a.threads)})
        dets.append(json.loads(next(out.glob('coco_results_*.json')).read_text()))
    gt = json.loads((Path(a.data) / 'annotations/instances_val.json').read_text())
    ap = bootstrap_ap(gt, dets, a.n, a.seed, 'segm') # (n, 2): the same redraw of the images for both runs
    rec = dict(command='python scripts/eval_noise.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
               runs=list(a.runs), seed=a.seed, n_bootstrap=a.n, val_images=len(gt['images']), metric='mask AP (percent)',
               ap_mean=ap.mean(0).round(3).tolist(), ap_std=ap.std(0, ddof=1).round(3).tolist(),
               diff_mean=round(float((ap[:, 1] - ap[:, 0]).mean()), 3), diff_std=round(float((ap[:, 1] - ap[:, 0]).std(ddof=1)), 3),
               seconds=round(time.time() - t0, 1))
    save_json(rec, Path(a.ablation) / 'eval_noise.json'); print(json.dumps(rec))

if __name__ == '__main__': main()

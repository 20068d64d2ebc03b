"""Issue 12's recipe trials: the demo model and data, one training-time budget, one change per trial.

    python scripts/recipe_trials.py [--budget 480] [--only NAME ...]   # nothing else running on the machine

Each trial is a `scnet train` (or `torchrun ... -m scnet.train`) run of the demo recipe (`scnet.demo`: the
`t1_scnet` demo preset from scratch, the demo's RoI/proposal budgets, SGD 1x shape squeezed into the budget) with
the trial's flags added; it trains for `--budget` seconds, then evaluates on all of shapes val. Finished trials are
skipped. Each writes runs/recipe_trials/<name>/ (git-ignored) and copies its small files to
results/recipe_trials/<name>/; one line per trial goes to results/recipe_trials/trials.jsonl.
"""
import argparse, json, shutil, statistics, subprocess, sys, time
from pathlib import Path

from scnet.demo import DEMO_BUDGETS, budget_sets

PY = sys.executable
TORCHRUN = [PY, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2']
RECIPE = ['--dataset', 'shapes', '--data', 'data/shapes', '--method', 't1_scnet', '--preset', 'demo', '--seed', '0',
          '--schedule', '1x', '--lr', '0.02', '--lr-batch', '2', '--warmup-iters', '100', '--grad-clip', '35',
          '--eval-every', '0', '--log-every', '10']
ONE = [PY, '-m', 'scnet.train', '--threads', '2', '--workers', '1']  # the demo's way: one process, both cores
DDP = TORCHRUN + ['-m', 'scnet.train', '--threads', '1', '--workers', '1']  # two processes, a core each (gloo)
D192 = ['--batch-size', '1', '--scale', '192', '192']  # the demo's batch and size since 9d0299a

# name -> (what changes, launcher + flags, extra --set items)
TRIALS = {
    'ddp2_b1': ('the demo recipe as `scnet demo` now runs it: 2 processes x 1 thread, batch 1 each (global 2)',
                DDP + ['--batch-size', '1'], []),
    'ddp2_b2': ('2 processes x 1 thread, batch 2 each (global 4, lr 0.04 by linear scaling)', DDP + ['--batch-size', '2'], []),
    'w128_ddp2_b1': ('FPN and heads 128 channels, fc 512 (demo: 64 / 256), 2 processes, batch 1 each',
                     DDP + ['--batch-size', '1'], ['channels=128', 'fc_out_channels=512']),
    'control_1p': ('the demo recipe as it ran before: 1 process x 2 threads, batch 2', ONE + ['--batch-size', '2'], []),
    'adamw_ddp2_b2': ('AdamW lr 2e-3 for batch 4, wd 0.05, cosine, 2 processes, batch 2 each',
                      DDP + ['--batch-size', '2', '--optimizer', 'adamw', '--decay', 'cosine', '--weight-decay', '0.05'],
                      ['train.lr=0.001']),
    'ns128_ddp2_b1': ('128 sampled RoIs per image and stage (demo: 32; reference 512), 2 processes, batch 1 each',
                      DDP + ['--batch-size', '1'], [f'roi_heads.stages.{k}.num_samples=128' for k in range(3)]),
    's192_ddp2_b1': ('images resized to fit 192 x 192 (demo: 256), train and val, 2 processes, batch 1 each',
                     DDP + ['--batch-size', '1', '--scale', '192', '192'], []),
    's160_ddp2_b1': ('images resized to fit 160 x 160 (demo: 256), train and val, 2 processes, batch 1 each',
                     DDP + ['--batch-size', '1', '--scale', '160', '160'], []),
    'ddp2_b1_again': ('control: ddp2_b1 again, in the same session as the trials below (the demo recipe unchanged)',
                      DDP + ['--batch-size', '1'], []),
    's192_lr04_ddp2_b1': ('192 px and SGD lr 0.04 together, 2 processes, batch 1 each',
                          DDP + ['--batch-size', '1', '--scale', '192', '192'], ['train.lr=0.04']),
    'lr04_ddp2_b1': ('SGD lr 0.04 for the batch of 2 (demo: 0.02), 2 processes, batch 1 each',
                     DDP + ['--batch-size', '1'], ['train.lr=0.04']),
    # session 6: the demo recipe of release 9d0299a (192 px, lr 0.04) is the control; the code has the separable RoIAlign backward
    'demo192_control': ('control: the demo recipe (192 px, SGD lr 0.04, 2 processes, batch 1 each) on this code',
                        DDP + D192, ['train.lr=0.04']),
    'demo192_zir': ('demo recipe + each residual block\'s last GroupNorm starts at 0 (zero_init_residual)',
                    DDP + D192, ['train.lr=0.04', 'model.backbone.zero_init_residual=true']),
    'demo192_lr08': ('demo recipe with SGD lr 0.08 for the batch of 2 (demo: 0.04)', DDP + D192, ['train.lr=0.08']),
    'demo192_bf16': ('demo recipe + CPU bf16 autocast (AVX512-BF16, no AMX)', DDP + D192, ['train.lr=0.04', 'train.cpu_bf16=true']),
    'demo192_control_s1': ('control with seed 1 (weights, sampling and order): the spread of one 8-min trial',
                           DDP + D192, ['train.lr=0.04', 'train.seed=1']),
    # session 7: the control is the bf16 demo recipe (192 px, lr 0.04, bf16 autocast)
    'bf16_anchor4': ('bf16 demo recipe + RPN anchors of scale 4 (16-256 px over strides 4-64; demo: 8, 32-512 px): '
                     'at 192 px the shapes are 21-150 px', DDP + D192, ['train.lr=0.04', 'train.cpu_bf16=true', 'model.rpn.scales=[4.0]']),
    'bf16_pos50': ('bf16 demo recipe + half of the 32 sampled RoIs positive where there are enough (demo: a quarter)',
                   DDP + D192, ['train.lr=0.04', 'train.cpu_bf16=true'] + [f'roi_heads.stages.{k}.pos_fraction=0.5' for k in range(3)]),
    # session 8, an AVX2-only CPU (no bf16): the control is the fp32 demo recipe there
    'avx2_control': ('control: the demo recipe on an AVX2-only CPU (192 px, lr 0.04, fp32: no native bf16)', DDP + D192, ['train.lr=0.04']),
    'avx2_cosine': ('the AVX2 control with a cosine decay to 0 over the budget instead of the 1x steps (decays at 8/12 and 11/12)',
                    DDP + D192 + ['--decay', 'cosine'], ['train.lr=0.04']),
    'avx2_control_s1': ('the AVX2 control with seed 1', DDP + D192, ['train.lr=0.04', 'train.seed=1']),
    'avx2_cosine_s1': ('the cosine trial with seed 1', DDP + D192 + ['--decay', 'cosine'], ['train.lr=0.04', 'train.seed=1']),
}

def summary(name:str, what:str, cmd:list[str], run:Path) -> dict:
    "One trial's line: its command, speed and AP at the budget."
    recs = [json.loads(l) for l in (run / 'log.jsonl').read_text().splitlines() if l.strip()]
    steps = [r for r in recs if 'img_s' in r]
    m = json.loads((run / 'metrics.json').read_text())
    return dict(trial=name, change=what, command=' '.join(Path(c).name if c == PY else c for c in cmd),
                iterations=steps[-1]['iter'], img_s=round(statistics.median(r['img_s'] for r in steps[2:] or steps), 2),
                mask_AP=round(100 * m['segm']['AP'], 1), mask_AP50=round(100 * m['segm']['AP50'], 1),
                box_AP=round(100 * m['bbox']['AP'], 1), box_AP50=round(100 * m['bbox']['AP50'], 1),
                date=time.strftime('%Y-%m-%d %H:%M'))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--budget', type=float, default=480., help='training seconds of every trial')
    p.add_argument('--only', nargs='*', default=None, help='trials to run (default: all)')
    p.add_argument('--out', default='results/recipe_trials')
    a = p.parse_args(argv)
    out, runs = Path(a.out), Path('runs/recipe_trials')
    for name, (what, launch, sets) in TRIALS.items():
        if a.only and name not in a.only: continue
        keep = out / name
        if (keep / 'metrics.json').exists(): print(f'{name}: done, skipped'); continue
        cmd = launch + ['--name', name, '--out', str(runs), '--overwrite', '--time-budget', f'{a.budget:g}', *RECIPE,
                        '--set', *budget_sets(3, **DEMO_BUDGETS), *sets]
        print(f'{name}: {what}\n  {" ".join(cmd)}', flush=True)
        runs.mkdir(parents=True, exist_ok=True)
        with open(runs / f'{name}.out', 'w') as log: rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode
        if rc: print(f'{name}: exit {rc}, see {runs}/{name}.out'); continue
        keep.mkdir(parents=True, exist_ok=True)
        for f in ('config.json', 'env.json', 'log.jsonl', 'metrics.json'): shutil.copy(runs / name / f, keep / f)
        row = summary(name, what, cmd, runs / name)
        with open(out / 'trials.jsonl', 'a') as f: f.write(json.dumps(row) + '\n')
        print(f"{name}: {row['iterations']} it, {row['img_s']} img/s, mask AP {row['mask_AP']} / {row['mask_AP50']}, "
              f"box AP {row['box_AP']}", flush=True)

if __name__ == '__main__': main()

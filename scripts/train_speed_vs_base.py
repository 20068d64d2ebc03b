"""Issue 11's training target, measured on one machine in one run: the demo training loop of the code before issue 11
(commit 0ddd620: 1 process x 2 threads, batch 2, fp32, 256 px, what the issue timed at 2.9 img/s) against this code
at the same 256 px (2 processes x 1 thread, batch 1 each; fp32 and CPU bf16 autocast; gradients averaged through
shared memory, and also through DDP's allreduce) and as the demo trains (192 px; bf16 where the CPU has it natively,
otherwise fp32).

    python scripts/train_speed_vs_base.py 60 2 results/bench/train/vs_base.json   # ITERS ROUNDS OUT; nothing else running

The old code runs from a git worktree of 0ddd620 (made under /tmp when missing); every setting trains `ITERS`
iterations of the demo preset from scratch on the same shapes images (data/shapes) through its `fit` loop (data
loading, optimiser, logging included), the settings alternating for `ROUNDS` rounds. The speed of one run is the
median of its logged 10-iteration windows after the first 20 iterations; the json holds every run's figure and
the median per setting.
"""
import json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

PY = sys.executable
BASE = '0ddd620'
REPO = Path(__file__).resolve().parents[1]
DATA = REPO / 'data/shapes'

BASE_SNIPPET = """
import sys, torch
from scnet.core import setup_cpu, seed_everything
setup_cpu(2)
from scnet.demo import demo_model_config, demo_train_config
from scnet.train import datasets, fit
from scnet.model import build_model
from scnet.transforms import collate
tr, _ = datasets('shapes', sys.argv[1], (256, 256))
seed_everything(0); m = build_model(demo_model_config(tr.num_classes, tr.num_semantic_classes))
fit(m, tr, demo_train_config(None, max_iters=int(sys.argv[3])), sys.argv[2], collate)
"""

sys.path.insert(0, str(Path(__file__).parent))
from recipe_trials import DDP, RECIPE  # the trials' launcher and demo recipe flags, not a copy of them

def current_cmd(scale:int, bf16:bool, iters:int, out:str, sets:tuple=()) -> list[str]:
    "This code's demo training loop as `scripts/recipe_trials.py` runs it (2 processes x 1 thread, batch 1 each), for `iters` iterations."
    from scnet.demo import DEMO_BUDGETS, budget_sets
    return (DDP + ['--batch-size', '1', '--scale', str(scale), str(scale), '--name', 'run', '--out', out, '--overwrite',
                   '--max-iters', str(iters), *RECIPE] + (['--bf16'] if bf16 else [])
            + ['--set', *budget_sets(3, **DEMO_BUDGETS), 'train.lr=0.04', *sets])

def img_s(log:Path, skip:int=20) -> float:
    "Median images per second over the logged windows after the first `skip` iterations."
    recs = [json.loads(l) for l in log.read_text().splitlines() if l.strip()]
    return statistics.median(r['img_s'] for r in recs if 'img_s' in r and r['iter'] > skip)

def main(iters:int, rounds:int, out:str):
    base = Path(tempfile.gettempdir()) / f'scnet_base_{BASE}'
    if not base.exists(): subprocess.run(['git', '-C', str(REPO), 'worktree', 'add', '--detach', str(base), BASE], check=True)
    from scnet.core import bf16_support
    bf16, why = bf16_support()
    settings = {
        'base_1p2t_b2_256_fp32': ('code before issue 11 (0ddd620): 1 process x 2 threads, batch 2, 256 px, fp32', None),
        'now_2p1t_b1_256_fp32': ('this code: 2 processes x 1 thread, batch 1 each, 256 px, fp32', (256, False)),
    }
    # bf16 only where it is native (`scnet.core.bf16_support`); elsewhere the fp32 twins of the same comparisons
    ddp = ('train.host_grad_mean=false',)
    if bf16: settings |= {
        'now_2p1t_b1_256_bf16': ('this code: the same in CPU bf16 autocast', (256, True)),
        'now_2p1t_b1_256_bf16_ddp': ("the bf16 run with DDP's gloo allreduce instead of the shared-memory mean "
                                     '(train.host_grad_mean=false)', (256, True, ddp)),
        'now_2p1t_b1_192_bf16': ('this code as `scnet demo` trains here: 192 px, bf16', (192, True))}
    else: settings |= {
        'now_2p1t_b1_256_fp32_ddp': ("the fp32 run with DDP's gloo allreduce instead of the shared-memory mean "
                                     '(train.host_grad_mean=false)', (256, False, ddp)),
        'now_2p1t_b1_192_fp32': ('this code as `scnet demo` trains here: 192 px, fp32 (no native bf16)', (192, False))}
    runs = {k: [] for k in settings}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for name, (what, cur) in settings.items():
                run = Path(tmp) / f'{name}_{r}'
                if cur is None:
                    cmd, cwd = [PY, '-c', BASE_SNIPPET, str(DATA), str(run), str(iters)], base
                    env = {**os.environ, 'PYTHONPATH': str(base)}
                else:
                    cmd, cwd, env = current_cmd(*cur[:2], iters, str(run), *cur[2:]), REPO, os.environ
                    run = run / 'run'
                t0 = time.time()
                p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
                if p.returncode: sys.exit(f'{name}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}')
                runs[name].append(round(img_s(run / 'log.jsonl'), 3))
                print(f'round {r} {name}: {runs[name][-1]} img/s ({time.time() - t0:.0f} s)', flush=True)
    from scnet.core import cpu_flags, save_json
    med = {k: round(statistics.median(v), 2) for k, v in runs.items()}
    b = med['base_1p2t_b2_256_fp32']
    rec = dict(command=f'python scripts/train_speed_vs_base.py {iters} {rounds} {out}', base_commit=BASE,
               code=subprocess.run(['git', '-C', str(REPO), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip(),
               date=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), machine=cpu_flags()[0], bf16=why,
               settings={k: v[0] for k, v in settings.items()}, iters=iters, rounds=rounds,
               img_s_runs=runs, median_img_s=med, speedup_vs_base={k: round(v / b, 2) for k, v in med.items()})
    save_json(rec, out)
    print(json.dumps(rec, indent=1))

if __name__ == '__main__': main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

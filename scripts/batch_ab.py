"""Issue 12: seconds per training image of one demo rank (1 thread) at batch 1, 2 and 4, fp32 and CPU bf16 autocast,
interleaved in one process over real shapes images at the demo's 192 px.

    python scripts/batch_ab.py 6 results/recipe_trials/batch_ab.json   # nothing else running on the machine

Each setting trains its own copy of the same initial weights (so the comparison is of step time only); each round runs
3 steps of every setting, in a rotating order; round 0 is dropped as warm-up. Reported: median seconds per image.
"""
import os, sys, time, json, statistics, copy
from pathlib import Path
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch

def main(rounds:int, out:str):
    torch.set_num_threads(1)
    from scnet.demo import demo_model_config, DEMO_SCALE
    from scnet.model import build_model
    from scnet.data import datasets
    from scnet.transforms import collate
    from scnet.core import env_info
    ds, _ = datasets('shapes', 'data/shapes', DEMO_SCALE)
    torch.manual_seed(0)
    base = build_model(demo_model_config(ds.num_classes, ds.num_semantic_classes)).train()
    modes = {f'b{b}_{p}': (b, p == 'bf16') for b in (1, 2, 4) for p in ('fp32', 'bf16')}
    models = {n: copy.deepcopy(base) for n in modes}
    opts = {n: torch.optim.SGD(m.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4, fused=True) for n, m in models.items()}
    times, k = {n: [] for n in modes}, 0
    for r in range(rounds):
        names = list(modes); names = names[r % len(names):] + names[:r % len(names)]
        for n in names:
            b, bf = modes[n]; m = models[n]
            for _ in range(3):
                x, t = collate([ds[(k + j) % len(ds)] for j in range(b)]); k += b
                t0 = time.perf_counter()
                with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf):
                    losses = m(x, t, torch.Generator().manual_seed(k))
                opts[n].zero_grad(set_to_none=True); sum(losses.values()).backward()
                torch.nn.utils.clip_grad_norm_(m.parameters(), 35); opts[n].step()
                if r > 0: times[n].append((time.perf_counter() - t0) / b)
        print(r, {n: round(statistics.median(v), 4) for n, v in times.items() if v}, flush=True)
    med = {n: round(statistics.median(v), 4) for n, v in times.items()}
    rec = dict(command='python ' + ' '.join(sys.argv), size=list(DEMO_SCALE), threads=1, rounds=rounds, steps_per_round=3,
               median_s_per_image=med, spread={n: [round(min(v), 4), round(max(v), 4)] for n, v in times.items()},
               speedup_vs_b1_fp32={n: round(med['b1_fp32'] / v, 2) for n, v in med.items()},
               env={k: v for k, v in env_info().items() if k in ('cpu', 'torch', 'torch_cpu_capability', 'kernel_env')})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    json.dump(rec, open(out, 'w'), indent=1); print(json.dumps(rec, indent=1))

if __name__ == '__main__':
    main(int(sys.argv[1]), sys.argv[2])

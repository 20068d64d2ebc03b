"""One demo training step (bf16 autocast where native, 1 thread, 2 shapes images at 192 px) with the separable RoIAlign
backward of an earlier commit against the current one, interleaved in one process:

    python scripts/roi_backward_step_ab.py REV ROUNDS OUT.json   # e.g. 38800e3~1 7; nothing else running

Both settings train their own copy of the same initial weights; each round runs 3 steps of each, alternating which goes
first; round 0 is warm-up. Reported: median seconds per step, and the two gradients of one RoI map compared.
"""
import os, sys, json, time, copy, statistics, subprocess, types
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch

def old_module(rev:str):
    "scnet/box_head.py as of `rev`, imported as its own module (the rest of the library is today's)."
    src = subprocess.run(['git', 'show', f'{rev}:scnet/box_head.py'], capture_output=True, text=True, check=True).stdout
    mod = types.ModuleType('box_head_old'); sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(src.replace('from .', 'from scnet.'), f'{rev}:scnet/box_head.py', 'exec'), mod.__dict__)
    return mod.__dict__

def main(rev:str, rounds:int, out:str):
    torch.set_num_threads(1)
    import scnet.box_head as bh
    from scnet.core import bf16_support, env_info
    from scnet.demo import demo_model_config, DEMO_SCALE
    from scnet.model import build_model
    from scnet.data import datasets
    from scnet.transforms import collate
    from scnet.bench import train_step_call
    fns = dict(old=old_module(rev)['roi_align_backward'], new=bh.roi_align_backward)
    mode = 'bf16' if bf16_support()[0] else 'fp32'
    ds, _ = datasets('shapes', 'data/shapes', DEMO_SCALE)
    torch.manual_seed(0)
    base = build_model(demo_model_config(ds.num_classes, ds.num_semantic_classes)).train()
    models = {k: copy.deepcopy(base) for k in fns}
    opts = {k: torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, fused=True) for k, m in models.items()}
    T, j = {k: [] for k in fns}, 0
    for r in range(rounds):
        for k in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            bh.roi_align_backward = fns[k]  # `_RoIAlignJobs.backward` looks it up at call time
            for _ in range(3):
                x, t = collate([ds[(j + i) % len(ds)] for i in range(2)]); j += 2
                f = train_step_call(models[k], x, t, opts[k], mode)
                t0 = time.perf_counter(); f(); dt = time.perf_counter() - t0
                if r > 0: T[k].append(dt)
        print(r, {k: round(statistics.median(v), 4) for k, v in T.items() if v}, flush=True)
    bh.roi_align_backward = fns['new']
    g = torch.Generator().manual_seed(0)  # the two gradients of one map: 60 RoIs on a (2, 64, 48, 48) P2 map
    c = torch.rand(60, 2, generator=g) * 192; wh = 8 + torch.rand(60, 2, generator=g) * 160
    rois = torch.cat([torch.randint(0, 2, (60, 1), generator=g).float(), c - wh / 2, c + wh / 2], 1)
    gy = torch.randn(60, 64, 7, 7, generator=g)
    a, b = (fns[k](gy, rois, 0.25, 7, (2, 64, 48, 48)) for k in ('old', 'new'))
    med = {k: round(statistics.median(v), 4) for k, v in T.items()}
    rec = dict(command='python ' + ' '.join(sys.argv), old=rev, precision=mode, threads=1, batch=2, size=list(DEMO_SCALE),
               rounds=rounds, steps_per_round=3, median_s_per_step=med, speedup=round(med['old'] / med['new'], 3),
               gradient_max_abs_diff=float((a - b).abs().max()),
               env={k: v for k, v in env_info().items() if k in ('cpu', 'cpu_model', 'cpu_bf16', 'torch', 'torch_cpu_capability', 'kernel_env')})
    os.makedirs(os.path.dirname(out) or '.', exist_ok=True)
    json.dump(rec, open(out, 'w'), indent=1); print(json.dumps(rec, indent=1))

if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])

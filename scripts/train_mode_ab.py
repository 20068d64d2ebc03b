"""Issue 11/12: the demo training step (one rank: 1 thread, batch 1, real shapes images) in fp32, CPU bf16 autocast,
channels-last and both, interleaved in one process.

    python scripts/train_mode_ab.py 192 12 results/bench/train/mode_ab.json

Modes rotate every round over the same images; the first 2 steps of each mode are dropped. Each mode trains its own
copy of the same initial weights, so the comparison is of step time only.
"""
import os, sys, time, json, statistics, copy
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch

def main(size, steps, out):
    torch.set_num_threads(1)
    from scnet.demo import demo_model_config
    from scnet.model import build_model
    from scnet.data import datasets
    from scnet.transforms import collate
    from scnet.core import env_info
    ds, _ = datasets('shapes', 'data/shapes', (size, size))
    batches = [collate([ds[i]]) for i in range(steps)]
    torch.manual_seed(0)
    base = build_model(demo_model_config(ds.num_classes, ds.num_semantic_classes)).train()
    modes = {'fp32': (False, False), 'bf16': (True, False), 'fp32_cl': (False, True), 'bf16_cl': (True, True)}
    runs = {}
    for name, (bf, cl) in modes.items():
        m = copy.deepcopy(base)
        if cl: m = m.to(memory_format=torch.channels_last)
        runs[name] = (m, torch.optim.SGD(m.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4, fused=True), bf, cl)
    times = {n: [] for n in modes}
    names = list(modes)
    for i, (x, t) in enumerate(batches):
        for n in names[i % 4:] + names[:i % 4]:
            m, opt, bf, cl = runs[n]
            xi = x.contiguous(memory_format=torch.channels_last) if cl else x
            t0 = time.perf_counter()
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf):
                l = m(xi, t, torch.Generator().manual_seed(i))
            loss = sum(l.values()); opt.zero_grad(set_to_none=True); loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 35); opt.step()
            if i >= 2: times[n].append(time.perf_counter() - t0)
    rec = dict(command='python ' + ' '.join(sys.argv), size=size, threads=1, batch=1,
               median_s_per_step={n: round(statistics.median(v), 4) for n, v in times.items()},
               spread={n: [round(min(v), 4), round(max(v), 4)] for n, v in times.items()},
               env={k: v for k, v in env_info().items() if k in ('cpu', 'torch', 'torch_cpu_capability', 'kernel_env')})
    json.dump(rec, open(out, 'w'), indent=1); print(json.dumps(rec, indent=1))

if __name__ == '__main__':
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

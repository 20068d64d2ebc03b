"""Issue 11/12: one DDP training step of the demo model on 2 CPU processes x 1 thread (gloo), DDP settings side by side.

    python scripts/ddp_step_bench.py 15 results/recipe_trials/ddp_settings.json alone,ddp_unused,ddp,ddp_view,ddp_bf16,ddp_fused
    python scripts/ddp_step_bench.py 15 results/bench/train/ddp_bf16amp.json alone,ddp_fused,ddp_fused_bf16amp
    python scripts/ddp_step_bench.py 15 results/bench/train/ddp_comm.json alone_bf16amp,ddp_fused_bf16amp,ddp_fused_comp_bf16amp

Each rank trains on its own shapes images at 256 px (batch 1), 2 rounds over the settings, the first 3 steps of each
dropped; the json holds the median seconds of a whole step and of its clip + optimiser part. `ddp_bf16`
compresses the gradients to bf16 for the allreduce; `ddp_fused_bf16amp` runs the forward under CPU bf16 autocast. `alone`: the two
processes train independently at the same time (no gradient exchange), the floor for DDP (`alone_bf16amp`: the
same under bf16 autocast). `ddp_fused_comp_bf16amp`: bf16 autocast and bf16-compressed allreduce together. The json
also holds one allreduce of all the gradients by itself (`allreduce_*`), fp32 and bf16.
"""
import os, sys, time, json, statistics
import torch, torch.distributed as dist, torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP

def run(rank, world, steps, out, which):
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT='29533')
    dist.init_process_group('gloo', rank=rank, world_size=world)
    from torch.distributed.algorithms.ddp_comm_hooks import default_hooks as H
    from scnet.demo import demo_model_config
    from scnet.model import build_model
    from scnet.data import datasets
    from scnet.transforms import collate
    ds, _ = datasets('shapes', 'data/shapes', (256, 256))
    batches = [collate([ds[rank + world * i]]) for i in range(steps)]
    res = {}
    # the gradient exchange by itself: one allreduce of all the demo model's gradients, fp32 and bf16, cores otherwise idle
    n = sum(p.numel() for p in build_model(demo_model_config()).parameters())
    for dt in (torch.float32, torch.bfloat16):
        g = torch.ones(n, dtype=dt); ts = []
        for _ in range(8):
            dist.barrier(); t0 = time.perf_counter(); dist.all_reduce(g); ts.append(time.perf_counter() - t0)
        res[f'allreduce_{n / 1e6:.1f}M_{str(dt)[6:]}'] = ts[2:]
    configs = {'alone': None, 'ddp_unused': dict(find_unused_parameters=True), 'ddp': dict(find_unused_parameters=False),
               'ddp_view': dict(find_unused_parameters=False, gradient_as_bucket_view=True),
               'ddp_bf16': dict(find_unused_parameters=False, gradient_as_bucket_view=True),
               'ddp_fused': dict(find_unused_parameters=False, gradient_as_bucket_view=True),
               'ddp_fused_bf16amp': dict(find_unused_parameters=False, gradient_as_bucket_view=True),
               'alone_bf16amp': None,
               'ddp_fused_comp_bf16amp': dict(find_unused_parameters=False, gradient_as_bucket_view=True)}
    configs = {k: v for k, v in configs.items() if k in which}
    for rep in range(2):
        for name, kw in configs.items():
            torch.manual_seed(0)
            m = build_model(demo_model_config()).train()
            net = m if kw is None else DDP(m, **kw)
            if name == 'ddp_bf16' or '_comp' in name: net.register_comm_hook(None, H.bf16_compress_hook)
            opt = torch.optim.SGD(m.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4, fused=name.startswith('ddp_fused') or None)
            amp = name.endswith('bf16amp')  # CPU bf16 autocast of the forward, as TrainConfig.cpu_bf16 runs it
            ts, tb = [], []
            dist.barrier()
            for i, (x, t) in enumerate(batches):
                t0 = time.perf_counter()
                with torch.autocast('cpu', dtype=torch.bfloat16, enabled=amp): l = net(x, t)
                loss = sum(l.values())
                opt.zero_grad(set_to_none=True); loss.backward()
                t1 = time.perf_counter()
                torch.nn.utils.clip_grad_norm_(m.parameters(), 35); opt.step()
                ts.append(time.perf_counter() - t0); tb.append(time.perf_counter() - t1)
            res.setdefault(name, []).extend(ts[3:]); res.setdefault(name + '_clip_step', []).extend(tb[3:])
    if rank == 0:
        json.dump(dict(command='python ' + ' '.join(sys.argv), median_s_per_step={k: round(statistics.median(v), 4) for k, v in res.items()}),
                  open(out, 'w'), indent=1)
    dist.destroy_process_group()

if __name__ == '__main__':
    which = sys.argv[3].split(',')
    mp.spawn(run, args=(2, int(sys.argv[1]), sys.argv[2], which), nprocs=2)
    print(open(sys.argv[2]).read())

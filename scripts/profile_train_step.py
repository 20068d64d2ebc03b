"""torch.profiler table of demo training steps on shapes images at 256 px.

    python scripts/profile_train_step.py THREADS BATCH [OUT.json]   # nothing else running

With OUT, also writes the s/step, the machine and the 30 largest ops by self CPU time (ms per step, share) as json.
"""
import torch, time, sys
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
from scnet.demo import demo_model_config
from scnet.model import build_model
from scnet.data import datasets
from scnet.transforms import collate
from scnet.bench import train_step_call
train_ds, _ = datasets('shapes', 'data/shapes', (256, 256))
torch.manual_seed(0)
model = build_model(demo_model_config()).train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
bs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
batches = [collate([train_ds[i*bs + j] for j in range(bs)]) for i in range(12)]
def step(b):
    imgs, tg = b[0], b[1]
    return train_step_call(model, imgs, tg, opt, 'fp32')()
for b in batches[:3]: step(b)
t = time.perf_counter()
for b in batches[3:8]: step(b)
s_step = (time.perf_counter() - t) / 5
print('s/step', s_step)
from torch.profiler import profile, ProfilerActivity
with profile(activities=[ProfilerActivity.CPU]) as p:
    for b in batches[8:12]: step(b)
print(p.key_averages().table(sort_by='self_cpu_time_total', row_limit=30))
if len(sys.argv) > 3:
    from scnet.core import cpu_flags, bf16_support, save_json
    ev = sorted(p.key_averages(), key=lambda e: -e.self_cpu_time_total)
    tot = sum(e.self_cpu_time_total for e in ev)
    save_json(dict(command='python scripts/profile_train_step.py ' + ' '.join(sys.argv[1:]), machine=cpu_flags()[0],
                   bf16=bf16_support()[1], torch_cpu_capability=torch.backends.cpu.get_cpu_capability(),
                   threads=torch.get_num_threads(), batch=bs, scale=256, s_per_step=round(s_step, 4),
                   self_ms_per_step={e.key: round(e.self_cpu_time_total / 4e3, 2) for e in ev[:30]},
                   self_share={e.key: round(e.self_cpu_time_total / tot, 4) for e in ev[:30]}), sys.argv[3])

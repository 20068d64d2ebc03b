"""A/B of the RoIAlign backward in one demo training step: torchvision's kernel vs the separable one (scnet.box_head).

    python scripts/roi_align_backward_ab.py THREADS BATCH   # prints the medians; nothing else running
"""
import torch, time, sys, statistics
torch.set_num_threads(int(sys.argv[1]))
import scnet.box_head as BH
from scnet.demo import demo_model_config
from scnet.model import build_model
from scnet.data import datasets
from scnet.transforms import collate
from scnet.bench import train_step_call
train_ds, _ = datasets('shapes', 'data/shapes', (256, 256))
torch.manual_seed(0)
model = build_model(demo_model_config()).train()
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, fused=True)
bs = int(sys.argv[2])
batches = [collate([train_ds[i*bs + j] for j in range(bs)]) for i in range(8)]
new = BH.roi_align_backward
def tv_bwd(g, rois, scale, size, shape, pool=1):
    if pool > 1: g = g.repeat_interleave(pool, 2).repeat_interleave(pool, 3) / (pool * pool)
    return BH._tv_roi_align_bwd(g.contiguous(), rois, scale, size, size, *shape, 0, True)
res = {}
for rep in range(3):
    for name, fn in [('torchvision_bwd', tv_bwd), ('separable_bwd', new)]:
        BH.roi_align_backward = fn
        for b in batches[:1]: train_step_call(model, b[0], b[1], opt, 'fp32')()
        for b in batches[1:]:
            t = time.perf_counter(); train_step_call(model, b[0], b[1], opt, 'fp32')(); res.setdefault(name, []).append(time.perf_counter() - t)
print(sys.argv[1:], {k: round(statistics.median(v), 4) for k, v in res.items()})

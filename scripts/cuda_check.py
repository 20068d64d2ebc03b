#!/usr/bin/env python3
"""GPU check: an AMP training step and inference of SCNet on CUDA, with speed and memory.

Builds the demo preset (ResNet-18, 64 channels, 8 classes) and the R-50 preset (80 classes, 183 semantic classes,
random weights), feeds synthetic 800x1333 batches that follow the data contract, and for each preset
  - runs 3 warm-up + 10 timed AMP training steps (SGD, autocast fp16, GradScaler; `scnet.train.train_step`),
  - runs 3 warm-up + 20 timed inference passes (batch 1) in fp32 and with AMP,
checks that losses are finite and predictions well-formed, and prints medians, images/s and peak memory.

    python scripts/cuda_check.py            # both presets
    python scripts/cuda_check.py --presets r50 --train-steps 10 --infer-passes 20

Exit status 0 when every check passes, 1 when one fails, 2 when there is no CUDA device.
"""
import argparse, json, statistics, sys, time

import torch


def synthetic_batch(n:int, h:int, w:int, num_classes:int, num_sem:int|None, device, seed:int=0):
    "A batch following the data contract: normalised images padded to 32, 3-6 boxes with masks per image."
    g = torch.Generator().manual_seed(seed)
    Hp, Wp = (h + 31) // 32 * 32, (w + 31) // 32 * 32
    images = torch.zeros(n, 3, Hp, Wp)
    images[:, :, :h, :w] = torch.randn(n, 3, h, w, generator=g)
    targets = []
    for i in range(n):
        k = int(torch.randint(3, 7, (1,), generator=g))
        xy = torch.rand(k, 2, generator=g) * torch.tensor([w * 0.7, h * 0.7])
        wh = 40 + torch.rand(k, 2, generator=g) * torch.tensor([w * 0.3, h * 0.3])
        boxes = torch.cat([xy, (xy + wh).minimum(torch.tensor([w - 1., h - 1.]))], 1)
        masks = torch.zeros(k, h, w, dtype=torch.uint8)
        for j, (x1, y1, x2, y2) in enumerate(boxes.long().tolist()): masks[j, y1:y2, x1:x2] = 1
        t = dict(image_id=i, ori_shape=(h, w), img_shape=(h, w), pad_shape=(Hp, Wp), scale_factor=(1., 1.), flip=False,
                 gt_boxes=boxes, gt_labels=torch.randint(0, num_classes, (k,), generator=g), gt_masks=masks,
                 gt_boxes_ignore=torch.zeros(0, 4))
        if num_sem:
            sem = torch.randint(0, num_sem, (Hp // 8, Wp // 8), generator=g); sem[h // 8:, :] = 255; sem[:, w // 8:] = 255
            t['gt_semantic'] = sem
        targets.append({k_: (v.to(device) if torch.is_tensor(v) else v) for k_, v in t.items()})
    return images.to(device), targets


def _sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize(dev)

def _peak_gb(dev) -> float:
    return round(torch.cuda.max_memory_allocated(dev) / 2**30, 2) if dev.type == 'cuda' else float('nan')

def _reset_peak(dev):
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)

def timed(fn, n:int, dev, warmup:int=3) -> list[float]:
    "Seconds of `n` calls of `fn` after `warmup` calls, each synchronised."
    for _ in range(warmup): fn()
    out = []
    for _ in range(n):
        _sync(dev); t = time.perf_counter(); fn(); _sync(dev); out.append(time.perf_counter() - t)
    return out


def check_preset(name:str, train_steps:int, infer_passes:int, h:int, w:int, batch:int, device:str='cuda') -> dict:
    from scnet.model import build_model, scnet_demo, scnet_r50
    from scnet.train import TrainConfig, train_step
    dev = torch.device(device)
    cfg = scnet_demo(8, 12, from_scratch=True) if name == 'demo' else scnet_r50(80, 183)
    torch.manual_seed(0)
    model = build_model(cfg).to(dev)
    res = dict(preset=name, params_M=round(sum(p.numel() for p in model.parameters()) / 1e6, 2), size=f'{h}x{w}')
    # training: AMP
    images, targets = synthetic_batch(batch, h, w, cfg.num_classes, cfg.num_semantic_classes, dev)
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.0025, momentum=0.9, weight_decay=1e-4)
    scaler = torch.amp.GradScaler(dev.type, enabled=dev.type == 'cuda')
    tcfg = TrainConfig(amp=True, grad_clip=None)
    model.train(); _reset_peak(dev)
    last = {}
    def step():
        last.update(train_step(model, images, targets, opt, scaler, tcfg, dev))
    ts = timed(step, train_steps, dev)
    finite = all(torch.isfinite(v).item() for v in last.values())
    res.update(train_batch=batch, train_s_median=round(statistics.median(ts), 4),
               train_img_s=round(batch / statistics.median(ts), 2),
               train_max_mem_GB=_peak_gb(dev),
               losses_finite=finite, amp_scale=scaler.get_scale(), loss_keys=sorted(last))
    # inference: batch 1, fp32 (the reference's fps setting) and AMP
    model.eval(); x1, t1 = synthetic_batch(1, h, w, cfg.num_classes, None, dev, seed=1)
    t1 = [{k: v for k, v in t.items() if not k.startswith('gt_')} for t in t1]
    for mode, amp in (('fp32', False), ('amp', True)):
        _reset_peak(dev); out = []
        def infer():
            with torch.no_grad(), torch.autocast(dev.type, dtype=torch.float16, enabled=amp and dev.type == 'cuda'):
                out[:] = model(x1, t1)
        ts = timed(infer, infer_passes, dev)
        p = out[0]; n = len(p['pred_scores'])
        ok = (p['pred_boxes'].shape == (n, 4) and p['pred_masks'].shape == (n, h, w) and p['pred_masks'].dtype == torch.bool)
        res.update({f'infer_{mode}_s_median': round(statistics.median(ts), 4), f'infer_{mode}_img_s': round(1 / statistics.median(ts), 2),
                    f'infer_{mode}_max_mem_GB': _peak_gb(dev),
                    f'infer_{mode}_detections': n, f'infer_{mode}_ok': bool(ok)})
    del model, opt
    if dev.type == 'cuda': torch.cuda.empty_cache()
    return res


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--presets', nargs='+', default=['demo', 'r50'], choices=['demo', 'r50'])
    p.add_argument('--train-steps', type=int, default=10); p.add_argument('--infer-passes', type=int, default=20)
    p.add_argument('--height', type=int, default=800); p.add_argument('--width', type=int, default=1333)
    p.add_argument('--batch', type=int, default=2, help='training images per step (the reference: 2 per GPU)')
    p.add_argument('--device', default='cuda', help="'cpu' only for a smoke test of this script")
    a = p.parse_args(argv)
    if a.device == 'cuda' and not torch.cuda.is_available():
        print('cuda_check: no CUDA device visible to torch', torch.__version__, file=sys.stderr); return 2
    name = torch.cuda.get_device_name(0) if a.device == 'cuda' else 'cpu'
    print(f'device: {name}, torch {torch.__version__}, CUDA {torch.version.cuda}', flush=True)
    torch.backends.cudnn.benchmark = True
    ok = True
    for preset in a.presets:
        r = check_preset(preset, a.train_steps, a.infer_passes, a.height, a.width, a.batch, a.device)
        print(json.dumps(r), flush=True)
        good = r['losses_finite'] and r['infer_fp32_ok'] and r['infer_amp_ok']
        print(f"{preset}: AMP train {r['train_img_s']} img/s ({r['train_s_median']} s/step, batch {a.batch}, "
              f"{r['train_max_mem_GB']} GB); inference fp32 {r['infer_fp32_img_s']} img/s, AMP {r['infer_amp_img_s']} img/s "
              f"({r['infer_amp_max_mem_GB']} GB) at {r['size']} -> {'OK' if good else 'FAILED'}", flush=True)
        ok &= good
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

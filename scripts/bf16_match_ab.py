"""Issue 11's bf16 accuracy bar (>= 98 % of fp32's detections matched: same label, box IoU >= 0.9): where bf16 loses
the matches, measured on a trained checkpoint by keeping parts of the model in fp32.

    python scripts/bf16_match_ab.py CHECKPOINT IMAGES_DIR N_IMAGES OUT.json
    # e.g. results/demo/checkpoints/latest.pth data/shapes/val 50 results/bench/accuracy/match_ab.json

Variants, each against the same fp32 detections (`scnet.bench.bf16_accuracy`, bf16 autocast + channels-last):
- bf16_cl: every conv and linear weight stored in bf16 (the bench's bf16 mode before this comparison);
- fp32_predictors: the same, but the layers that emit scores, box deltas and mask logits (RPN's 1x1 convs, each
  stage's fc_cls and fc_reg, the mask head's conv_logits) run in fp32: bf16 outputs have 8 significant bits, so
  scores of nearby detections tie or swap;
- fp32_box_heads: also each box stage's shared FCs in fp32;
- fp32_after_neck: only the backbone and FPN in bf16; RPN and every RoI head in fp32.
For each: the matched share among fp32 detections scoring >= 0.05, 0.1, 0.3, 0.5, the median mask IoU, and the share
of one forward's FLOPs (flop_counter, first image) that still runs in bf16. Speed is not timed here (the bench does).
"""
import json, sys
from pathlib import Path

import torch
from torch import nn

from scnet.bench import bf16_accuracy
from scnet.core import channels_last_copy, is_predictor, setup_cpu
from scnet.checkpoint import load_trained

VARIANTS = {  # name -> which conv/linear layers stay fp32 (`scnet.core.channels_last_copy`'s keep_fp32)
    'bf16_cl': lambda n: False,
    'fp32_predictors': is_predictor,  # what the bench's bf16_cl mode now does
    'fp32_box_heads': lambda n: is_predictor(n) or '.bbox_head.' in n,
    'fp32_after_neck': lambda n: n.startswith(('rpn.', 'roi_heads.')),
}

def bf16_flop_share(model:nn.Module, x, meta, keep) -> float:
    "Share of one forward's FLOPs in conv/linear layers that `keep` leaves in bf16."
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc, torch.inference_mode(): model(x, meta)
    per = fc.get_flop_counts()
    total = sum(per['Global'].values())
    leaves = {n for n, mod in model.named_modules() if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))}
    # the counter keys modules by their dotted path (prefixed by the model's class name in some versions)
    fp32 = 0
    for key, ops in per.items():
        n = key.split('.', 1)[1] if key.split('.', 1)[0] not in dict(model.named_children()) and '.' in key else key
        if n in leaves and keep(n): fp32 += sum(ops.values())
    return 1 - fp32 / total

def main(ckpt:str, images:str, n:int, out:str):
    setup_cpu(None)
    from scnet.predict import view_batch, load_image
    model, rc = load_trained(ckpt)
    imgs = sorted(p for p in Path(images).iterdir() if p.suffix.lower() in ('.jpg', '.png'))[:n]
    scale = tuple(rc.get('data', {}).get('scale', (1333, 800)))
    x, meta = view_batch([load_image(imgs[0])], scale, first_id=0)
    rec = dict(command='python scripts/bf16_match_ab.py ' + ' '.join(sys.argv[1:]), checkpoint=ckpt, images=len(imgs),
               scale=list(scale), variants={})
    for name, keep in VARIANTS.items():
        r = bf16_accuracy(model, imgs, scale, other=channels_last_copy(model, bf16_weights=True, keep_fp32=keep))
        r['bf16_flop_share'] = round(bf16_flop_share(model, x, meta, keep), 4)
        rec['variants'][name] = r
        print(name, {s: v['share'] for s, v in r['by_min_score'].items()}, 'median mask IoU', round(r['median_mask_iou'], 4),
              'bf16 FLOP share', r['bf16_flop_share'], flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(rec, indent=1) + '\n')

if __name__ == '__main__': main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])

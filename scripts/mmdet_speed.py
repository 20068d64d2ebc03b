"""SCNet R-50 inference: MMDetection 3.3.0 against this repository, the same weights and image, in one process.

Issue 11's first target compares our fp32 forward with MMDetection's on the same CPU. MMDetection's compiled mmcv
ops cannot be built here (mmcv 2.1.0 ships only as source), so, as `shared/fixtures/*/README.md` did for the
reference outputs, MMDetection 3.3.0 runs on mmcv-lite 2.1.0 (mmcv's Python code) with its two compiled kernels on
this path, RoIAlign (avg, aligned) and NMS, served by torchvision's CPU kernels. The fixtures' README found those
bitwise equal to mmcv's own CPU kernels on their model.
Any other compiled op is refused loudly, so nothing silently changes the reference's work.

Setup (once, beside .venv; git-ignored): `bash scripts/mmdet_env.sh`.
Run: `.venv-mmdet/bin/python scripts/mmdet_speed.py --repeats 6 --out results/bench/mmdet/cpu.json`

Protocol (the issue's): random init (mmdet's own `init_weights`, seed 0), BatchNorm statistics calibrated on the
image, converted into ours by `scnet.convert.convert_mmdet`; score threshold 0, so both return 100 detections; the
two forwards alternate in one process (`scnet.bench.interleaved`), medians and ranges over rounds; FLOPs counted
by `torch.utils.flop_counter`; the fp32 matmul rate measured in the same run.
"""
from __future__ import annotations
import argparse, json, sys, time, types
from pathlib import Path

import torch
import torchvision


def _refuse(name):
    def f(*a, **k): raise NotImplementedError(f'mmcv._ext.{name}: this compiled mmcv op is not provided (scripts/mmdet_speed.py)')
    return f

def install_mmcv_ext_shim():
    "A stand-in `mmcv._ext`: RoIAlign (avg) and NMS by torchvision's CPU kernels; every other op raises when called."
    ext = types.ModuleType('mmcv._ext')
    def roi_align_forward(input, rois, output, argmax_y, argmax_x, *, aligned_height, aligned_width, spatial_scale,
                          sampling_ratio, pool_mode, aligned):
        if pool_mode != 1: raise NotImplementedError('mmcv._ext.roi_align_forward: max pooling is not provided')
        output.copy_(torchvision.ops.roi_align(input, rois, (aligned_height, aligned_width), spatial_scale,
                                               sampling_ratio, aligned))
    def nms(boxes, scores, *, iou_threshold, offset):
        if offset != 0: raise NotImplementedError('mmcv._ext.nms: offset 1 is not provided')
        return torchvision.ops.nms(boxes, scores, iou_threshold)
    ext.roi_align_forward, ext.nms = roi_align_forward, nms
    def getattr_(name):  # ext_loader only checks that the op names exist; module attributes stay absent
        if name.startswith('__'): raise AttributeError(name)
        return _refuse(name)
    ext.__getattr__, ext.__file__ = getattr_, __file__
    sys.modules['mmcv._ext'] = ext


def build_mmdet_scnet(seed:int=0):
    "MMDetection's SCNet R-50 (configs/scnet/scnet_r50_fpn_1x_coco.py) with random init and score threshold 0."
    install_mmcv_ext_shim()
    import mmdet
    from mmengine.config import Config
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(Path(mmdet.__file__).parent / '.mim/configs/scnet/scnet_r50_fpn_1x_coco.py')
    cfg.model.backbone.init_cfg = None  # no download of ImageNet weights: random init, as ours
    cfg.model.test_cfg.rcnn.score_thr = 0.0  # 100 detections from a random-init model, as scnet.bench does
    torch.manual_seed(seed)
    m = MODELS.build(cfg.model)
    m.init_weights()
    return m.eval()


def mmdet_call(m, x, h, w):
    from mmdet.structures import DetDataSample
    ds = DetDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w), scale_factor=(1., 1.),
                                     pad_shape=tuple(x.shape[-2:]), batch_input_shape=tuple(x.shape[-2:])))
    def call():
        with torch.inference_mode(): return m.predict(x, [ds], rescale=False)[0].pred_instances
    return call


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--repeats', type=int, default=6, help='interleaved rounds (each runs both models once)')
    p.add_argument('--threads', type=int, default=0, help='torch threads (0: every core)')
    p.add_argument('--height', type=int, default=800); p.add_argument('--width', type=int, default=1333)
    p.add_argument('--out', default='results/bench/mmdet/cpu.json')
    p.add_argument('--modes', nargs='+', default=['fp32', 'fp32_cl', 'bf16_cl'], help="our modes (scnet.bench.MODES; bf16_cl only where bf16 is native); MMDetection runs fp32 as it ships")
    a = p.parse_args(argv)
    from scnet.core import setup_cpu, save_json
    from scnet.bench import machine_info, interleaved, matmul_rate, count_flops, calibrate_bn, bench_input, mode_call, inference_copies
    from scnet.core import bf16_support
    from scnet.model import build_model, scnet_r50
    from scnet.convert import convert_mmdet
    import mmdet, mmcv, mmengine
    setup_cpu(a.threads or None); threads = torch.get_num_threads()
    h, w = a.height, a.width
    x, meta = bench_input(h, w)
    ref = build_mmdet_scnet()
    calibrate_bn(ref, lambda: ref.extract_feat(x))
    cfg = scnet_r50(); cfg.roi_heads.score_thr = 0.0
    ours = build_model(cfg).eval()
    ours.load_state_dict(convert_mmdet(ref.state_dict(), ours))
    modes = [md for md in a.modes if md != 'bf16_cl' or bf16_support()[0]]
    cl = inference_copies(ours, modes)
    calls = {'mmdet': mmdet_call(ref, x, h, w), **{f'ours_{md}': mode_call(ours, x, meta, md, cl) for md in modes}}
    r, o = calls['mmdet'](), calls['ours_fp32']()[0]
    k = min(len(r.scores), len(o['pred_scores']))
    same = dict(detections=[len(r.scores), len(o['pred_scores'])],
                max_abs_score_diff=float((r.scores[:k] - o['pred_scores'][:k]).abs().max()),
                max_abs_box_diff=float((r.bboxes[:k] - o['pred_boxes'][:k]).abs().max()),
                labels_equal=bool((r.labels[:k] == o['pred_labels'][:k]).all()),
                mask_pixels_differing=int((r.masks[:k].bool() != o['pred_masks'][:k].bool()).sum()),
                top_scores_mmdet=[round(float(s), 6) for s in r.scores[:5]],
                top_scores_ours=[round(float(s), 6) for s in o['pred_scores'][:5]])
    print('outputs:', json.dumps(same), flush=True)
    flops = {n: count_flops(calls[n]) for n in ('mmdet', 'ours_fp32')}
    flops = {n: flops['mmdet' if n == 'mmdet' else 'ours_fp32'] for n in calls}  # a mode changes the dtype, not the work
    mm = matmul_rate()
    t = interleaved(calls, a.repeats)
    for n, v in t.items(): v['gflops_achieved'] = round(flops[n]['gflop'] / v['median_s'], 1)
    rec = dict(command='.venv-mmdet/bin/python scripts/mmdet_speed.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
               when=time.strftime('%Y-%m-%d %H:%M:%S'), machine=machine_info(), threads=threads, h=h, w=w,
               versions=dict(torch=torch.__version__, torchvision=torchvision.__version__, mmdet=mmdet.__version__,
                             mmcv_lite=mmcv.__version__, mmengine=mmengine.__version__),
               reference_kernels='mmcv._ext RoIAlign/NMS served by torchvision CPU kernels (scripts/mmdet_speed.py)',
               outputs=same, flops=flops, matmul_fp32_gflops=round(mm, 1), times=t,
               speedup_vs_mmdet={n: round(t['mmdet']['median_s'] / v['median_s'], 3) for n, v in t.items() if n != 'mmdet'},
               matmul_fraction={n: round(flops[n]['gflop'] / v['median_s'] / mm, 3) for n, v in t.items()})
    save_json(rec, a.out)
    print(json.dumps({k: rec[k] for k in ('speedup_vs_mmdet', 'matmul_fp32_gflops', 'matmul_fraction')}, indent=1))
    return 0


if __name__ == '__main__': sys.exit(main())

"""COCO AP of a run's val detections with and without the class labels (every class merged into one).

    python scripts/class_agnostic_ap.py results/demo      # reads <run>/coco_results_val.json, writes <run>/class_agnostic.json

Class-agnostic AP tells localisation from classification: a detector that finds objects but mislabels them scores
much higher without the labels. Duplicates of one box under two labels count as false positives there.
"""
import contextlib, copy, io, json, sys
from pathlib import Path
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

def ap(gt:dict, dt:list, typ:str, agnostic:bool) -> dict:
    g, d = copy.deepcopy(gt), copy.deepcopy(dt)
    if agnostic:
        for a in g['annotations'] + d: a['category_id'] = 1
        g['categories'] = [dict(id=1, name='object')]
    with contextlib.redirect_stdout(io.StringIO()):
        c = COCO(); c.dataset = g; c.createIndex(); E = COCOeval(c, c.loadRes(d), typ)
        E.evaluate(); E.accumulate(); E.summarize()
    return dict(AP=round(100 * E.stats[0], 1), AP50=round(100 * E.stats[1], 1), AR100=round(100 * E.stats[8], 1))

def main(run:str, ann:str='data/shapes/annotations/instances_val.json'):
    run = Path(run); gt = json.loads(Path(ann).read_text()); dt = json.loads((run / 'coco_results_val.json').read_text())
    out = dict(command=f'python scripts/class_agnostic_ap.py {run}', annotations=ann,
               **{f'{typ}_{k}': ap(gt, dt, typ, k == 'agnostic') for typ in ('segm', 'bbox') for k in ('per_class', 'agnostic')})
    (run / 'class_agnostic.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))

if __name__ == '__main__': main(*sys.argv[1:])

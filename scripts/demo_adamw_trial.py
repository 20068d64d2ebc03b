"""The 20-minute demo with the AdamW + cosine recipe instead of the reference-shaped SGD + step (issue 12's trial).

    python scripts/demo_adamw_trial.py --out results/recipe_trials/adamw_cosine_20min   # then keep its small files

Everything else is `scnet demo` (same model, data, budget and evaluation); only `demo_train_config` changes.
"""
import sys
import scnet.demo as D

_sgd = D.demo_train_config
def adamw_cosine(time_budget_s, **kw):
    kw.update(optimizer='adamw', decay='cosine', lr=2e-3, weight_decay=0.05, warmup_iters=50)
    return _sgd(time_budget_s, **kw)

if __name__ == '__main__':
    D.demo_train_config = adamw_cosine
    sys.exit(D.main(['--out', '/tmp/demo_adamw', '--data', 'data/shapes'] + sys.argv[1:]))

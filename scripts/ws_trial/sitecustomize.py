"""Issue 12's Weight Standardization trial (Qiao et al. 2019, GN + WS for micro-batch training), not part of the library.

    SCNET_WS=1 PYTHONPATH=scripts/ws_trial scnet demo --max-iters 1500 --minutes 90 --out /tmp/ws

Python imports this file at start-up in every process (the demo's spawned ranks too) and wraps `scnet.model.build_model`:
every Conv2d whose output goes straight into a GroupNorm (found by the call order of one toy forward) gets its weight
standardised per output channel, w -> (w - mean) / (std + 1e-5), as a `torch.nn.utils.parametrize` parametrization.
Results: results/recipe_trials/iter1500_ws/ against iter1500_control/ (nbs/23_demo).
"""
import os
if os.environ.get('SCNET_WS') == '1':
    os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
    import torch, torch.nn as nn
    import torch.nn.utils.parametrize as P
    import scnet.model as M
    class WS(nn.Module):
        def forward(self, w):
            m = w.mean(dim=(1, 2, 3), keepdim=True)
            s = w.flatten(1).std(dim=1).view(-1, 1, 1, 1)
            return (w - m) / (s + 1e-5)
    _build = M.build_model
    def build_model(cfg, *a, **k):
        model = _build(cfg, *a, **k)
        order = []
        hs = [m.register_forward_hook(lambda mod, i, o: order.append(mod)) for m in model.modules() if len(list(m.children())) == 0]
        was = model.training; model.train()
        imgs, tg = M.toy_batch(1, 128, 128, num_classes=cfg.num_classes)
        with torch.no_grad(): model(imgs, tg)
        model.train(was)
        for h in hs: h.remove()
        convs = {id(a): a for a, b in zip(order, order[1:]) if isinstance(a, nn.Conv2d) and isinstance(b, nn.GroupNorm)}
        for c in convs.values(): P.register_parametrization(c, 'weight', WS())
        if os.environ.get('RANK', '0') == '0' and not getattr(M, '_ws_said', False):
            print(f'[WS trial] weight standardization on {len(convs)} convs', flush=True); M._ws_said = True
        return model
    M.build_model = build_model

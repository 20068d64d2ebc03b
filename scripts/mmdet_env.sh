#!/usr/bin/env bash
# MMDetection 3.3.0 beside .venv, for scripts/mmdet_speed.py (the reference's speed, issue 11). It reuses .venv's
# torch, torchvision and scnet (a .pth line adds .venv's site-packages) and installs only the OpenMMLab Python code:
# mmcv-lite 2.1.0 (mmcv without its compiled ops; mmdet 3.3.0 requires mmcv < 2.2), mmengine 0.10.7, mmdet 3.3.0.
# opencv-python-headless stands in for opencv-python (no GUI libraries here), hence --no-deps for the three.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "mmdet_env.sh: .venv is missing; run make install first" >&2; exit 2; }
[ -x .venv-mmdet/bin/python ] || .venv/bin/python -m venv .venv-mmdet
site=$(.venv/bin/python -c 'import site; print(site.getsitepackages()[0])')
msite=$(.venv-mmdet/bin/python -c 'import site; print(site.getsitepackages()[0])')
echo "import site; site.addsitedir('$site')" > "$msite/_scnet_main.pth"
.venv-mmdet/bin/pip install -q --no-deps mmcv-lite==2.1.0 mmengine==0.10.7 mmdet==3.3.0
.venv-mmdet/bin/pip install -q opencv-python-headless addict yapf termcolor rich shapely scipy terminaltables
.venv-mmdet/bin/python -c "import mmdet, mmcv, torch; print('mmdet', mmdet.__version__, 'mmcv-lite', mmcv.__version__, 'torch', torch.__version__)"

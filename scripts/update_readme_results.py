"""Write the results block (Tables 2-3 over seeds, the claims, the speed claims) into README.md and nbs/index.ipynb.

    python scripts/update_readme_results.py

The block goes between the `<!-- results:begin -->` and `<!-- results:end -->` lines; `nbs/30_ablations` fails when
the committed README holds anything else, and `nbs/index` when README.md and the index page differ.
"""
import json, sys
from pathlib import Path
from scnet.experiments import results_markdown

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = '<!-- results:begin -->', '<!-- results:end -->'

def put(text:str, block:str, where:str) -> str:
    "`text` with everything between the marker lines replaced by `block`."
    if BEGIN not in text or END not in text: sys.exit(f'{where}: no {BEGIN} ... {END} markers')
    head, rest = text.split(BEGIN, 1)
    return head + BEGIN + '\n' + block + '\n' + END + rest.split(END, 1)[1]

if __name__ == '__main__':
    # the current recipe's 21 runs (the previous recipe's stay in results/ablation_v1, shown in nbs/30)
    block = results_markdown(ROOT / 'results/ablation', ROOT, ROOT / 'results/bench/tables/cpu.json')
    readme = ROOT / 'README.md'
    readme.write_text(put(readme.read_text(), block, 'README.md'))
    nbp = ROOT / 'nbs/index.ipynb'
    nb = json.loads(nbp.read_text())
    src = put(''.join(nb['cells'][0]['source']), block, 'nbs/index.ipynb cell 0')
    lines = src.split('\n')
    nb['cells'][0]['source'] = [l + '\n' for l in lines[:-1]] + [lines[-1]]
    nbp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    print(block)

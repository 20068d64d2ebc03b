#!/bin/bash
# Training speed of a `scnet train` command over its first ITERS iterations (the run is stopped there, no evaluation):
# median of its 10-iteration log windows after iteration 10. Used for the demo notebook's 1-process vs 2-process figure.
mkdir -p runs/speed_window
# usage: scripts/train_speed_window.sh NAME ITERS CMD...   runs cmd until log has iter>=iters, then kills it; prints img_s of windows after iter 10
name=$1; iters=$2; shift 2
rm -rf runs/speed_window/$name
setsid "$@" --name $name --out runs/speed_window --max-iters 1000 > runs/speed_window/$name.out 2>&1 &
pid=$!
while sleep 2; do
  if [ -f runs/speed_window/$name/log.jsonl ] && python3 -c "
import json,sys
r=[json.loads(l) for l in open('runs/speed_window/$name/log.jsonl') if 'img_s' in l]
sys.exit(0 if r and r[-1]['iter']>=$iters else 1)"; then break; fi
  kill -0 $pid 2>/dev/null || break
done
kill -- -$pid 2>/dev/null; sleep 1; pkill -f "name $name" 2>/dev/null
python3 -c "
import json,statistics as s
r=[json.loads(l) for l in open('runs/speed_window/$name/log.jsonl') if 'img_s' in l]
v=[x['img_s'] for x in r if x['iter']>10]
print('$name', [round(x,2) for x in v], 'median', round(s.median(v),2))"

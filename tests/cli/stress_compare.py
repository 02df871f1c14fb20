#!/usr/bin/python3
"""Compare `chengyu stress --each enterprise -f json` with the reference
(stress_reference.py --each-enterprise): every firm's failure must agree on
tts_days (null or a number) and impact to 1e-6 relative; the firms chengyu
skips must lose nothing and survive the horizon in the reference.

Usage: stress_compare.py CHENGYU.json REFERENCE.json
"""
import json
import sys

REL = 1e-6


def close(a, b, floor):
    return abs(a - b) <= REL * max(abs(a), abs(b), floor)


def main():
    ours, ref = (json.load(open(p)) for p in sys.argv[1:3])
    got = {tuple(d["failed"]): d for d in ours["disruptions"]}
    skipped = set(ours["skipped"])
    total = ours["final_demand_total"]
    bad = checked = 0
    for want in ref["disruptions"]:
        key = tuple(want["failed"])
        floor = 1e-6 * total * want["ttr_days"] / 365.0
        if key not in got:
            if not (len(key) == 1 and key[0] in skipped and want["tts_days"] is None
                    and abs(want["impact"]) <= floor):
                print(f"{key}: missing (reference {want})")
                bad += 1
            continue
        d = got[key]
        checked += 1
        tts_ok = (d["tts_days"] is None) == (want["tts_days"] is None) and (
            d["tts_days"] is None or close(d["tts_days"], want["tts_days"], 1e-6))
        if not tts_ok or not close(d["impact"], want["impact"], floor) \
                or d["ttr_days"] != want["ttr_days"]:
            print(f"{key}: chengyu tts {d['tts_days']} impact {d['impact']} ttr {d['ttr_days']}; "
                  f"reference tts {want['tts_days']} impact {want['impact']} "
                  f"ttr {want['ttr_days']}")
            bad += 1
    exposed = sum(1 for d in ours["disruptions"] if d["exposed"])
    print(f"{checked} disruptions agree, {len(skipped)} skipped, {exposed} exposed, "
          f"{bad} differ")
    sys.exit(1 if bad or not checked else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The Erlang A model of bench/run.sh written in SimPy (Debian python3-simpy3), for the
side-by-side benchmark: one queue, AGENTS agents, Poisson arrivals, exponential handle times and
exponential patience.  Prints one line of JSON: contacts/s and the measured abandonment and
service level, which bench/simpy.sh checks against the exact Erlang A values.

Usage: erlang_a_simpy.py CONTACTS [AGENTS ARRIVALS_PER_HOUR AHT_S PATIENCE_S SL_S SEED]
"""
import json
import random
import sys
import time

import simpy


def main():
    args = sys.argv[1:]
    contacts = int(args[0]) if args else 200000
    agents = int(args[1]) if len(args) > 1 else 100
    rate = (float(args[2]) if len(args) > 2 else 1900.0) / 3600.0
    aht = float(args[3]) if len(args) > 3 else 180.0
    patience = float(args[4]) if len(args) > 4 else 300.0
    sl_s = float(args[5]) if len(args) > 5 else 20.0
    rng = random.Random(int(args[6]) if len(args) > 6 else 1)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=agents)
    stats = {"arrived": 0, "abandoned": 0, "answered_in_sl": 0}
    warmup = contacts // 100

    def contact(index):
        arrived = env.now
        counted = index >= warmup
        with pool.request() as req:
            give_up = env.timeout(rng.expovariate(1.0 / patience))
            got = yield req | give_up
            if req not in got:
                if counted:
                    stats["abandoned"] += 1
                return
            if counted and env.now - arrived <= sl_s:
                stats["answered_in_sl"] += 1
            yield env.timeout(rng.expovariate(1.0 / aht))

    def source():
        for index in range(contacts + warmup):
            if index >= warmup:
                stats["arrived"] += 1
            env.process(contact(index))
            yield env.timeout(rng.expovariate(rate))

    env.process(source())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    n = stats["arrived"]
    print(json.dumps({"peer": "simpy", "simpy": simpy.__version__, "contacts": n, "wall_s": wall,
                      "contacts_per_s": n / wall, "p_abandon": stats["abandoned"] / n,
                      "service_level": stats["answered_in_sl"] / n}))


if __name__ == "__main__":
    main()

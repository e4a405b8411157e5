#!/usr/bin/env python3
"""Where a pgbench run's CPU goes, per transaction, process by process.

    bench/replica-router/cpu-by-process.py PORT [SECONDS=10] [DBNAME=meridian] [pgbench options...]

Runs `pgbench -n -S -c 8 -j 2` against PORT (loopback, user and password meridian) and prints,
per transaction: each process's user and system CPU (from /proc/PID/stat, processes alive before
and after the run), pgbench's own (its rusage), the sum per PostgreSQL cluster of its server
processes (the backends serving the run, and the checkpointer, WAL writer etc.), and
the whole machine's busy time (from /proc/stat, interrupts included). On a machine where the
load generator, the pooler and the databases share the cores, this tells a pooler's own cost
apart from what it makes the others spend.
"""
import os
import re
import subprocess
import sys
from collections import defaultdict


def processes():
    """pid -> (user ticks, system ticks, parent pid, command line)."""
    found = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
            with open(f'/proc/{entry}/cmdline') as cmdline:
                command = cmdline.read().replace('\0', ' ').strip()
        except OSError:
            continue
        found[int(entry)] = (int(fields[11]), int(fields[12]), int(fields[1]), command)
    return found


def machine():
    """(busy ticks, all ticks) over all cores."""
    with open('/proc/stat') as stat:
        ticks = [int(x) for x in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]
    return sum(ticks) - idle, sum(ticks)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    port = sys.argv[1]
    seconds = sys.argv[2] if len(sys.argv) > 2 else '10'
    database = sys.argv[3] if len(sys.argv) > 3 else 'meridian'
    extra = sys.argv[4:]
    env = dict(os.environ, PGPASSWORD='meridian', PGUSER='meridian', PGHOST='127.0.0.1')
    hz = os.sysconf('SC_CLK_TCK')

    before, (busy0, all0), children0 = processes(), machine(), os.times()
    run = subprocess.run(['pgbench', '-n', '-S', '-c', '8', '-j', '2', '-T', seconds, '-p', port, *extra, database],
                         env=env, capture_output=True, text=True)
    after, (busy1, all1), children1 = processes(), machine(), os.times()
    done = re.search(r'number of transactions actually processed: (\d+)', run.stdout)
    if run.returncode != 0 or not done or int(done.group(1)) == 0:
        sys.exit(f'pgbench failed:\n{run.stdout}{run.stderr}')
    transactions = int(done.group(1))
    per_txn = 1e6 / hz / transactions

    rows = []
    backends = defaultdict(float)
    for pid, (user, system, parent, command) in after.items():
        if pid not in before:
            continue
        spent_user, spent_system = user - before[pid][0], system - before[pid][1]
        if spent_user + spent_system == 0:
            continue
        rows.append(((spent_user + spent_system) * per_txn, spent_user * per_txn, spent_system * per_txn, pid, command))
        if command.startswith('postgres: ') and parent in after:
            # A server process's parent is its cluster's postmaster, whose command line names the data directory.
            backends[after[parent][3].split(' -D ')[-1]] += (spent_user + spent_system) * per_txn
    rows.sort(reverse=True)

    print(f'tps {transactions / float(seconds):,.0f}, {transactions} transactions; CPU in µs per transaction')
    for total, user, system, pid, command in rows[:12]:
        if total >= 0.05:
            print(f'  {total:6.1f}  user {user:5.1f}  sys {system:5.1f}  {pid:>7}  {command[:80]}')
    pgbench_user = (children1.children_user - children0.children_user) * 1e6 / transactions
    pgbench_system = (children1.children_system - children0.children_system) * 1e6 / transactions
    print(f'  pgbench: {pgbench_user + pgbench_system:.1f} (user {pgbench_user:.1f}, sys {pgbench_system:.1f})')
    for cluster, spent in sorted(backends.items()):
        print(f'  server processes of {cluster}: {spent:.1f}')
    print(f'  machine busy: {(busy1 - busy0) * per_txn:.1f}, idle {100 * (1 - (busy1 - busy0) / (all1 - all0)):.1f} %')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""measure.py OUT COMMAND...: runs COMMAND and writes "wall user sys peak-RSS-KB" to OUT.

CPU times come from wait4's resource usage, to the microsecond: /usr/bin/time prints them rounded to
10 ms, a seventh of judgetop's CPU on 1,000 rows. Exits with the command's status."""
import os
import subprocess
import sys
import time

out, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
child = subprocess.Popen(command)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
with open(out, "w") as f:
    f.write(f"{wall:.4f} {usage.ru_utime:.4f} {usage.ru_stime:.4f} {usage.ru_maxrss}\n")
sys.exit(child.returncode)

#!/usr/bin/env python3
"""load-mutants.py FILE... - loads and checks every file through the Python module
(the same reader and checks dce-run uses, without starting ns-3 per file).
Prints "refused N accepted M multiline K"; a crash kills the process (the test sees it)."""
import sys

import dce

refused = accepted = multi = 0
for f in sys.argv[1:]:
    try:
        dce.Network.load(f).check()
        accepted += 1
    except dce.Error as e:
        refused += 1
        # the file's line, or (for what only the whole check sees) this script's call
        if "\n" in str(e) or not (str(e).startswith(f + ":") or str(e).startswith(__file__ + ":")):
            multi += 1
            print("# bad message for %s: %r" % (f, str(e)[:200]))
    except (UnicodeDecodeError, ValueError) as e:
        # Network.load reads back out: with Python's own reader; not the scenario layer's
        accepted += 1
print("refused %d accepted %d multiline %d" % (refused, accepted, multi))

# reopen.py - a program's stdout keeps its offset and status flags while dce
# closes and reopens the host file behind it (hostfd.c): offsets, F_SETFL without
# O_APPEND, then a write at offset 0, with other programs writing meanwhile.
import fcntl
import os
import time

os.write(1, b"hello\n")
time.sleep(1)
os.write(1, b"%d\n" % os.lseek(1, 0, os.SEEK_CUR))  # 6, at offset 6
fl = fcntl.fcntl(1, fcntl.F_GETFL)
fcntl.fcntl(1, fcntl.F_SETFL, fl & ~os.O_APPEND)
time.sleep(1)
os.lseek(1, 0, os.SEEK_SET)
time.sleep(1)
os.write(1, b"J")  # no O_APPEND any more: overwrites the "h"
time.sleep(1)
os.write(1, b"%d" % os.lseek(1, 0, os.SEEK_CUR))  # "1" over the "e"
os.write(2, b"append %d\n" % (fcntl.fcntl(1, fcntl.F_GETFL) & os.O_APPEND))

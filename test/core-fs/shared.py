# shared.py MODE: what a program sees of the files all nodes share (/etc/hosts,
# /etc/resolv.conf, /etc/nsswitch.conf: OUT/shared/etc/..., copied into the node's
# files-N/etc on its first change). Prints "ok X" / "FAIL X" lines.
import mmap, os, stat, sys


def case(name, cond):
    print(("ok " if cond else "FAIL ") + name, flush=True)


def hosts():
    with open("/etc/hosts") as f:
        return f.read()


mode = sys.argv[1]
if mode == "look":  # a node that only reads (node b, after a changed its own)
    text = hosts()
    st = os.stat("/etc/hosts")
    case("look: every node listed", all(f"\t{n}\n" in text for n in "abcde"))
    case("look: regular file, 1 link", stat.S_ISREG(st.st_mode) and st.st_nlink == 1)
    case("look: size is the content's", st.st_size == len(text.encode()))
    case("look: mode 644, owner root", stat.S_IMODE(st.st_mode) == 0o644 and st.st_uid == 0 and st.st_gid == 0)
    lst = os.lstat("/etc/hosts")
    case("look: lstat is the same file", (lst.st_ino, lst.st_size, lst.st_nlink) == (st.st_ino, st.st_size, 1))
    case("look: listed in /etc", {"hosts", "resolv.conf", "nsswitch.conf"} <= set(os.listdir("/etc")))
    with open("/etc/hosts", "rb") as f:
        m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
        case("look: mmap reads the content", m[:] == text.encode())
        case("look: fstat of the open file", os.fstat(f.fileno()).st_ino == st.st_ino)
    case("look: no change by another node seen", "only-a" not in text)
    case("look: access W_OK as root", os.access("/etc/hosts", os.W_OK))
    print("ino", st.st_ino, "size", st.st_size, "mtime", st.st_mtime_ns)
elif mode == "write":  # node a changes its own /etc/hosts
    before = hosts()
    with open("/etc/hosts", "a") as f:
        f.write("10.9.9.9\tonly-a\n")
    after = hosts()
    st = os.stat("/etc/hosts")
    case("write: the node sees its change", after == before + "10.9.9.9\tonly-a\n")
    case("write: 1 link, new size", st.st_nlink == 1 and st.st_size == len(after.encode()))
    with open("/etc/resolv.conf", "w") as f:  # O_TRUNC: the node's own, empty then this
        f.write("nameserver 10.1.1.4\n")
    with open("/etc/resolv.conf") as f:
        case("write: truncated and rewritten", f.read() == "nameserver 10.1.1.4\n")
elif mode == "meta":  # node d: metadata changes and removal
    os.chmod("/etc/hosts", 0o600)
    case("meta: chmod seen", stat.S_IMODE(os.stat("/etc/hosts").st_mode) == 0o600)
    os.utime("/etc/hosts", (1000000000, 1000000000))
    case("meta: utime seen", os.stat("/etc/hosts").st_mtime == 1000000000)
    os.rename("/etc/resolv.conf", "/etc/resolv.conf.orig")
    case("meta: renamed away", not os.path.exists("/etc/resolv.conf") and
         open("/etc/resolv.conf.orig").read().startswith("# dce"))
    try:
        os.close(os.open("/etc/hosts", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        case("meta: O_EXCL on an existing file fails", False)
    except FileExistsError:
        case("meta: O_EXCL on an existing file fails", True)
    os.symlink("/etc/hosts", "/tmp/h")
    case("meta: read through a symlink", open("/tmp/h").read() == hosts())
    os.unlink("/etc/hosts")
    case("meta: unlinked stays gone", not os.path.exists("/etc/hosts") and "hosts" not in os.listdir("/etc"))
elif mode == "fdmeta":  # node e: changes through a descriptor opened read-only
    fd = os.open("/etc/hosts", os.O_RDONLY)
    os.fchmod(fd, 0o640)
    os.close(fd)
    case("fdmeta: fchmod of a read-only descriptor seen", stat.S_IMODE(os.stat("/etc/hosts").st_mode) == 0o640)
    os.symlink("/etc/hosts", "/tmp/h")
    with open("/tmp/h", "a") as f:  # O_CREAT through a link: the node's copy, kept
        f.write("10.8.8.8\tonly-e\n")
    text = hosts()
    case("fdmeta: append through a link keeps the list", "\ta\n" in text and text.endswith("only-e\n"))
    case("fdmeta: a scenario's own file stays", open("/etc/resolv.conf").read() == "nameserver 10.7.7.7\n")

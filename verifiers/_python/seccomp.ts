/**
 * The Python sandbox's seccomp filter, as the classic BPF program bubblewrap loads with `--seccomp FD`
 * (it applies it to the sandboxed process just before exec, so bubblewrap's own set-up is unaffected).
 * Denied for every process in the sandbox (zygote and jobs): new namespaces (`unshare`, `setns`,
 * `clone` with a CLONE_NEW* flag; `clone3` answers ENOSYS so libc falls back to `clone`), mounts,
 * tracing and reading other processes (`ptrace`, `process_vm_*`, `pidfd_send_signal`, `pidfd_getfd`, `kcmp`;
 * `pidfd_open` stays: the zygote waits on its child with it), sockets other
 * than AF_UNIX, signals to the sandbox's init (pid 1) and zygote (pid 2) or to every process (-1),
 * `prlimit64` on another process, and kernel interfaces a program never needs (bpf, perf, io_uring,
 * keyrings, modules, userfaultfd, …). Built here, byte by byte, so no library is needed; x86-64 only
 * (elsewhere `seccompFilter` returns null and the sandbox runs without it).
 */

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;

const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;
const EAFNOSUPPORT = 97;

// BPF opcodes.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;

// Offsets into struct seccomp_data.
const NR = 0;
const ARCH = 4;
/** The low 32 bits of argument `i` (little-endian). */
const argLow = (i: number) => 16 + 8 * i;

/** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME. */
const CLONE_NEW_ANY = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 |
  0x40000000 | 0x00000080;
const AF_UNIX = 1;

/** x86-64 numbers of the system calls denied outright (EPERM). */
const DENIED_X86_64: Record<string, number> = {
  ptrace: 101,
  syslog: 103,
  uselib: 134,
  vhangup: 153,
  pivot_root: 155,
  adjtimex: 159,
  chroot: 161,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  sethostname: 170,
  setdomainname: 171,
  iopl: 172,
  ioperm: 173,
  init_module: 175,
  delete_module: 176,
  quotactl: 179,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  fanotify_init: 300,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  pidfd_send_signal: 424,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  pidfd_getfd: 438,
  mount_setattr: 442,
};

const X86_64 = {
  socket: 41,
  clone: 56,
  kill: 62,
  rt_sigqueueinfo: 129,
  tkill: 200,
  tgkill: 234,
  rt_tgsigqueueinfo: 297,
  prlimit64: 302,
  clone3: 435,
};

/** Pids no job may signal: every process (-1), the sandbox's init, the zygote, their process group. */
const PROTECTED_PIDS = [0xffffffff, 1, 2, 0xfffffffe];

interface Insn {
  code: number;
  jt: number | string;
  jf: number | string;
  k: number;
}

/** A tiny assembler: jump targets are labels, resolved to forward offsets at the end. */
class Program {
  readonly insns: Insn[] = [];
  readonly labels = new Map<string, number>();

  op(code: number, k: number, jt: number | string = 0, jf: number | string = 0): this {
    this.insns.push({ code, jt, jf, k: k >>> 0 });
    return this;
  }

  label(name: string): this {
    this.labels.set(name, this.insns.length);
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.insns.length * 8);
    const view = new DataView(out.buffer);
    this.insns.forEach((insn, at) => {
      const target = (j: number | string) => {
        if (typeof j === "number") return j;
        const to = this.labels.get(j);
        if (to === undefined || to <= at || to - at - 1 > 255) throw new Error(`bad seccomp jump to ${j}`);
        return to - at - 1;
      };
      view.setUint16(at * 8, insn.code, true);
      view.setUint8(at * 8 + 2, target(insn.jt));
      view.setUint8(at * 8 + 3, target(insn.jf));
      view.setUint32(at * 8 + 4, insn.k, true);
    });
    return out;
  }
}

/** The filter for this machine's architecture, or null where none is defined (not x86-64). */
export function seccompFilter(arch: string = Deno.build.arch): Uint8Array | null {
  if (arch !== "x86_64") return null;
  const p = new Program();
  p.op(LD_W_ABS, ARCH).op(JEQ_K, AUDIT_ARCH_X86_64, 1, 0).op(RET_K, RET_KILL_PROCESS);
  p.op(LD_W_ABS, NR).op(JGE_K, X32_SYSCALL_BIT, "eperm", 0);
  for (const nr of Object.values(DENIED_X86_64)) p.op(JEQ_K, nr, "eperm", 0);
  p.op(JEQ_K, X86_64.clone3, "enosys", 0);
  p.op(JEQ_K, X86_64.clone, "clone", 0);
  p.op(JEQ_K, X86_64.socket, "socket", 0);
  p.op(JEQ_K, X86_64.prlimit64, "prlimit", 0);
  for (
    const nr of [X86_64.kill, X86_64.tkill, X86_64.tgkill, X86_64.rt_sigqueueinfo, X86_64.rt_tgsigqueueinfo]
  ) {
    p.op(JEQ_K, nr, "signal", 0);
  }
  p.op(RET_K, RET_ALLOW);
  // clone: no flag that makes a namespace.
  p.label("clone").op(LD_W_ABS, argLow(0)).op(JSET_K, CLONE_NEW_ANY, "eperm", 0).op(RET_K, RET_ALLOW);
  // socket: AF_UNIX only (the network namespace is empty anyway).
  p.label("socket").op(LD_W_ABS, argLow(0)).op(JEQ_K, AF_UNIX, 0, "eafnosupport").op(RET_K, RET_ALLOW);
  // prlimit64: only on the caller itself (pid 0), as setrlimit/getrlimit do.
  p.label("prlimit").op(LD_W_ABS, argLow(0)).op(JEQ_K, 0, 0, "eperm").op(RET_K, RET_ALLOW);
  // kill, tkill, tgkill, rt_(tg)sigqueueinfo: never to init, the zygote, their group or everyone.
  p.label("signal").op(LD_W_ABS, argLow(0));
  for (const pid of PROTECTED_PIDS) p.op(JEQ_K, pid, "eperm", 0);
  p.op(RET_K, RET_ALLOW);
  p.label("eperm").op(RET_K, RET_ERRNO | EPERM);
  p.label("enosys").op(RET_K, RET_ERRNO | ENOSYS);
  p.label("eafnosupport").op(RET_K, RET_ERRNO | EAFNOSUPPORT);
  return p.bytes();
}

let written: Promise<string | null> | null = null;

/** The filter written once to a private temporary file (bubblewrap reads it from a descriptor); null where none. */
export function seccompFilterFile(): Promise<string | null> {
  written ??= (async () => {
    const filter = seccompFilter();
    if (filter === null) return null;
    const path = await Deno.makeTempFile({ prefix: "arbiter-seccomp-", suffix: ".bpf" });
    await Deno.writeFile(path, filter, { mode: 0o600 });
    return path;
  })();
  return written;
}

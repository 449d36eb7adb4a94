package dev.roster.proxy.userspace;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ConnectBalancing} with the {@link ConnectProgram}'s maps and programs, attached to a
 * cgroup as {@code connect4}, {@code connect6}, {@code getpeername4} and {@code getpeername6}
 * through bpf links (FFM, {@code --release 22}; loaded only by {@link ConnectBalancing#attach}).
 *
 * <p>The links belong to this process's file descriptors, so the kernel detaches the programs when
 * roster exits, however it exits: nothing stays behind in the host's cgroup. The proxy's one
 * worker thread writes routes; the methods are synchronized only so that a route written while the
 * proxy closes never reaches a descriptor number the process has since reused.
 */
final class BpfConnectBalancing implements ConnectBalancing {
    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_MAP_UPDATE_ELEM = 2;
    private static final int BPF_MAP_DELETE_ELEM = 3;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_LINK_CREATE = 28;
    private static final int BPF_MAP_TYPE_HASH = 1;
    private static final int BPF_MAP_TYPE_LRU_HASH = 9;
    private static final int BPF_F_NO_PREALLOC = 1;
    private static final int BPF_PROG_TYPE_CGROUP_SOCK_ADDR = 18;
    private static final int BPF_CGROUP_INET4_CONNECT = 10;
    private static final int BPF_CGROUP_INET6_CONNECT = 11;
    private static final int BPF_CGROUP_INET4_GETPEERNAME = 29;
    private static final int BPF_CGROUP_INET6_GETPEERNAME = 30;
    private static final int ATTR_BYTES = 144;
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    /** Service addresses (ClusterIP, NodePort, load-balancer and external IP per port) one proxy may route. */
    private static final int MAX_SERVICES = 65536;
    private static final int MAX_ENDPOINTS = 1 << 20;
    /**
     * Open connections whose getpeername is rewritten; beyond this the least recently used entries
     * go (those sockets then report the endpoint's address). Preallocated: about 5 MiB of kernel memory.
     */
    private static final int MAX_ORIGINS = 65536;

    private final long sysBpf;
    private final MethodHandle syscall;
    private final MethodHandle open;
    private final Path cgroup;
    private final int services;
    private final int endpoints;
    private final int origins;
    private final int[] programs = {-1, -1, -1, -1};
    private final int[] links = {-1, -1, -1, -1};
    /** What each routed service key holds now: {count, slot}. */
    private final Map<String, int[]> routed = new HashMap<>();
    private int nextSlot = 1;
    private boolean closed;

    BpfConnectBalancing(Path cgroup) throws Exception {
        this.cgroup = cgroup;
        sysBpf = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64" -> 280;
            default -> throw new IllegalStateException("no bpf(2) system call number for " + System.getProperty("os.arch"));
        };
        syscall = Libc.functionWithErrno("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        open = Libc.functionWithErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
        int s = -1, e = -1, o = -1, dir = -1;
        try {
            s = createMap(BPF_MAP_TYPE_HASH, MAX_SERVICES, BPF_F_NO_PREALLOC, "roster_svc");
            e = createMap(BPF_MAP_TYPE_HASH, MAX_ENDPOINTS, BPF_F_NO_PREALLOC, "roster_eps");
            o = createMap(BPF_MAP_TYPE_LRU_HASH, MAX_ORIGINS, 0, "roster_orig");
            dir = openDirectory(cgroup);
            programs[0] = loadProgram(ConnectProgram.build(s, e, o, false), BPF_CGROUP_INET4_CONNECT, "roster_conn4");
            programs[1] = loadProgram(ConnectProgram.build(s, e, o, true), BPF_CGROUP_INET6_CONNECT, "roster_conn6");
            programs[2] = loadProgram(ConnectProgram.buildPeerName(o, false), BPF_CGROUP_INET4_GETPEERNAME, "roster_peer4");
            programs[3] = loadProgram(ConnectProgram.buildPeerName(o, true), BPF_CGROUP_INET6_GETPEERNAME, "roster_peer6");
            // getpeername first: a rewritten connect must never be without its reverse
            links[2] = link(programs[2], dir, BPF_CGROUP_INET4_GETPEERNAME);
            links[3] = link(programs[3], dir, BPF_CGROUP_INET6_GETPEERNAME);
            links[0] = link(programs[0], dir, BPF_CGROUP_INET4_CONNECT);
            links[1] = link(programs[1], dir, BPF_CGROUP_INET6_CONNECT);
        } catch (Exception | Error ex) {
            for (int fd : links) Libc.close(fd);
            for (int fd : programs) Libc.close(fd);
            for (int fd : new int[] {s, e, o, dir}) Libc.close(fd);
            throw ex;
        }
        Libc.close(dir); // the links hold the cgroup
        services = s;
        endpoints = e;
        origins = o;
    }

    @Override
    public String describe() {
        return "BPF connect4/connect6 on cgroup " + cgroup;
    }

    /** Writes the new endpoints under a fresh slot, swaps the Service's entry to it, then drops the old slot. */
    @Override
    public synchronized void route(InetAddress address, int port, List<Backend> targets) {
        if (closed) return;
        String key = address.getHostAddress() + ":" + port;
        int[] before = routed.get(key);
        int slot = nextSlot++;
        if (nextSlot == 0) nextSlot = 1;
        try (Arena arena = Arena.ofConfined()) {
            int written = 0;
            try {
                for (Backend b : targets) {
                    byte[] to = InetAddress.getByName(b.ip()).getAddress();
                    update(arena, endpoints, ConnectProgram.endpointKey(slot, written), ConnectProgram.endpointValue(to, b.port()));
                    written++;
                }
                update(arena, services, ConnectProgram.serviceKey(address.getAddress(), port),
                        ConnectProgram.serviceValue(targets.size(), slot));
            } catch (RuntimeException | java.net.UnknownHostException ex) {
                // the Service's entry still points at the old slot (if any); only the new one is dropped
                deleteEndpoints(arena, new int[] {written, slot});
                if (ex instanceof java.net.UnknownHostException) throw new IllegalArgumentException("not an IP address: " + ex.getMessage());
                throw (RuntimeException) ex;
            }
            routed.put(key, new int[] {targets.size(), slot});
            if (before != null) deleteEndpoints(arena, before);
        }
    }

    @Override
    public synchronized void remove(InetAddress address, int port) {
        if (closed) return;
        int[] before = routed.remove(address.getHostAddress() + ":" + port);
        if (before == null) return;
        try (Arena arena = Arena.ofConfined()) {
            delete(arena, services, ConnectProgram.serviceKey(address.getAddress(), port));
            deleteEndpoints(arena, before);
        }
    }

    private void deleteEndpoints(Arena arena, int[] countAndSlot) {
        for (int i = 0; i < countAndSlot[0]; i++) delete(arena, endpoints, ConnectProgram.endpointKey(countAndSlot[1], i));
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (int fd : links) Libc.close(fd);
        for (int fd : programs) Libc.close(fd);
        for (int fd : new int[] {services, endpoints, origins}) Libc.close(fd);
        routed.clear();
    }

    /** A map of 8-byte keys and values; {@code BPF_F_NO_PREALLOC} takes memory as entries come, not up front. */
    private int createMap(int type, int maxEntries, int flags, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, type);
            attr.set(JAVA_INT, 4, 8); // key bytes
            attr.set(JAVA_INT, 8, 8); // value bytes
            attr.set(JAVA_INT, 12, maxEntries);
            attr.set(JAVA_INT, 16, flags);
            putName(attr, 28, name);
            return (int) bpf(arena, BPF_MAP_CREATE, attr, "BPF_MAP_CREATE");
        }
    }

    private int loadProgram(byte[] insns, int attachType, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(insns.length, 8).copyFrom(MemorySegment.ofArray(insns));
            MemorySegment license = arena.allocateFrom("GPL"); // needed for bpf_get_prandom_u32
            int logBytes = 64 * 1024;
            MemorySegment log = arena.allocate(logBytes);
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_SOCK_ADDR);
            attr.set(JAVA_INT, 4, insns.length / 8);
            attr.set(JAVA_LONG, 8, code.address());
            attr.set(JAVA_LONG, 16, license.address());
            attr.set(JAVA_INT, 24, 1); // verifier log level: only filled when loading fails
            attr.set(JAVA_INT, 28, logBytes);
            attr.set(JAVA_LONG, 32, log.address());
            putName(attr, 48, name);
            attr.set(JAVA_INT, 68, attachType);
            try {
                return (int) bpf(arena, BPF_PROG_LOAD, attr, "BPF_PROG_LOAD");
            } catch (IllegalStateException e) {
                String verifier = log.getString(0).strip();
                if (verifier.isEmpty()) throw e;
                String last = verifier.substring(verifier.lastIndexOf('\n') + 1);
                throw new IllegalStateException(e.getMessage() + " (verifier: " + last + ")", e);
            }
        }
    }

    private int link(int program, int cgroupFd, int attachType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, program);
            attr.set(JAVA_INT, 4, cgroupFd);
            attr.set(JAVA_INT, 8, attachType);
            return (int) bpf(arena, BPF_LINK_CREATE, attr, "BPF_LINK_CREATE");
        }
    }

    private void update(Arena arena, int map, byte[] key, byte[] value) {
        MemorySegment attr = elementAttr(arena, map, key);
        attr.set(JAVA_LONG, 16, arena.allocate(value.length, 8).copyFrom(MemorySegment.ofArray(value)).address());
        bpf(arena, BPF_MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM");
    }

    private void delete(Arena arena, int map, byte[] key) {
        try {
            bpf(arena, BPF_MAP_DELETE_ELEM, elementAttr(arena, map, key), "BPF_MAP_DELETE_ELEM");
        } catch (MissingElement gone) {
            // already absent: the end state is the same
        }
    }

    private static MemorySegment elementAttr(Arena arena, int map, byte[] key) {
        MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
        attr.set(JAVA_INT, 0, map);
        attr.set(JAVA_LONG, 8, arena.allocate(key.length, 8).copyFrom(MemorySegment.ofArray(key)).address());
        return attr;
    }

    private static void putName(MemorySegment attr, long offset, String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(b.length, 15); i++) attr.set(JAVA_BYTE, offset + i, b[i]);
    }

    private static final class MissingElement extends IllegalStateException {
        MissingElement(String message) {
            super(message);
        }
    }

    private long bpf(Arena arena, int cmd, MemorySegment attr, String what) {
        MemorySegment state = arena.allocate(Libc.CALL_STATE);
        long r;
        try {
            r = (long) syscall.invokeExact(state, sysBpf, (long) cmd, attr, (long) ATTR_BYTES);
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(" + what + "): " + t, t);
        }
        if (r < 0) {
            int err = Libc.errno(state);
            String msg = "bpf(" + what + "): " + Libc.strerror(err) + (err == EPERM ? " (needs root: CAP_BPF and CAP_NET_ADMIN)" : "");
            if (err == ENOENT) throw new MissingElement(msg);
            throw new IllegalStateException(msg);
        }
        return r;
    }

    private int openDirectory(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int fd = (int) open.invokeExact(state, arena.allocateFrom(dir.toString()), O_RDONLY_DIRECTORY_CLOEXEC);
            if (fd < 0) throw new IllegalStateException("open(" + dir + "): " + Libc.strerror(Libc.errno(state)));
            return fd;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + dir + "): " + t, t);
        }
    }
}

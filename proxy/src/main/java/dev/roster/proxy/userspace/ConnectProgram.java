package dev.roster.proxy.userspace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPF program behind connect-time balancing, as the kernel's instruction bytes. It runs on
 * every {@code connect(2)} of a socket in the attached cgroup: when the destination (IPv4, or
 * IPv4-mapped IPv6 for dual-stack sockets such as Java's) is a Service address in the services
 * map, it picks one of that entry's endpoints at random from the endpoints map and rewrites the
 * destination to it. Anything else passes unchanged. It never refuses a connection: a Service
 * without an entry (no ready endpoints, ClientIP affinity, not TCP) goes to the userspace proxy's
 * listener as before.
 *
 * <p>Map layouts (little-endian words; addresses and ports in network byte order, as the kernel
 * keeps them in {@code struct bpf_sock_addr}):
 * services: key {@code (ip, port)} → value {@code (count, slot)};
 * endpoints: key {@code (slot, index)} → value {@code (ip, port)}, index &lt; count.
 * A route is replaced by writing its endpoints under a fresh slot and then swapping the services
 * value, which the kernel replaces as one element: a connect sees either the old or the new set.
 *
 * <p>Each rewritten connect also records the Service address it was meant for under the socket's
 * cookie (origins: key cookie → value {@code (ip, port)}, an LRU map), and a second program on
 * {@code getpeername(2)} ({@link #buildPeerName}) answers with that address: the application
 * sees the Service it connected to, as with the proxy's listener (Cilium does the same).
 */
final class ConnectProgram {
    /** {@code struct bpf_sock_addr} field offsets. */
    static final int USER_IP4 = 4;
    static final int USER_IP6 = 8;
    static final int USER_PORT = 24;
    static final int PROTOCOL = 36;
    static final int IPPROTO_TCP = 6;

    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R6 = 6, R7 = 7, R8 = 8, R9 = 9, FP = 10;
    private static final int LDX_W = 0x61, STX_W = 0x63, STX_DW = 0x7b, LD_IMM64 = 0x18;
    private static final int MOV64_X = 0xbf, MOV64_K = 0xb7, ADD64_K = 0x07, MOD32_X = 0x9c;
    private static final int JEQ_K = 0x15, JNE_K = 0x55, JNE32_K = 0x56, CALL = 0x85, EXIT = 0x95;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int MAP_LOOKUP_ELEM = 1;
    private static final int MAP_UPDATE_ELEM = 2;
    private static final int GET_PRANDOM_U32 = 7;
    private static final int GET_SOCKET_COOKIE = 46;
    /** {@code ::ffff:0:0/96}'s third word as a little-endian load sees it. */
    private static final int V4_MAPPED_WORD = 0xffff0000;

    private ConnectProgram() {}

    /**
     * The program for {@code connect4} ({@code ipv6} false) or {@code connect6} (true: only
     * IPv4-mapped destinations are looked at), referring to the three maps by file descriptor.
     */
    static byte[] build(int servicesFd, int endpointsFd, int originsFd, boolean ipv6) {
        Assembler a = new Assembler();
        int ipOffset = ipv6 ? USER_IP6 + 12 : USER_IP4;
        a.insn(MOV64_X, R6, R1, 0, 0); // r6 = ctx, kept across calls
        a.insn(LDX_W, R2, R6, PROTOCOL, 0);
        a.jump(JNE_K, R2, IPPROTO_TCP, "pass");
        if (ipv6) {
            a.insn(LDX_W, R2, R6, USER_IP6, 0);
            a.jump(JNE_K, R2, 0, "pass");
            a.insn(LDX_W, R2, R6, USER_IP6 + 4, 0);
            a.jump(JNE_K, R2, 0, "pass");
            a.insn(LDX_W, R2, R6, USER_IP6 + 8, 0);
            a.jump(JNE32_K, R2, V4_MAPPED_WORD, "pass");
        }
        // services key on the stack: fp-8 = ip, fp-4 = port
        a.insn(LDX_W, R2, R6, ipOffset, 0);
        a.insn(STX_W, FP, R2, -8, 0);
        a.insn(LDX_W, R2, R6, USER_PORT, 0);
        a.insn(STX_W, FP, R2, -4, 0);
        a.lookupOrJump(servicesFd, -8, "pass");
        a.insn(LDX_W, R7, R0, 0, 0); // count
        a.insn(LDX_W, R8, R0, 4, 0); // slot
        a.jump(JEQ_K, R7, 0, "pass");
        a.insn(CALL, 0, 0, 0, GET_PRANDOM_U32);
        a.insn(MOD32_X, R0, R7, 0, 0); // index = random % count
        // endpoints key: fp-16 = slot, fp-12 = index
        a.insn(STX_W, FP, R8, -16, 0);
        a.insn(STX_W, FP, R0, -12, 0);
        a.lookupOrJump(endpointsFd, -16, "pass");
        a.insn(MOV64_X, R9, R0, 0, 0); // the endpoint, kept across calls
        // origins[cookie] = the Service address, still on the stack at fp-8 (a failed update only
        // costs getpeername its rewrite)
        a.insn(MOV64_X, R1, R6, 0, 0);
        a.insn(CALL, 0, 0, 0, GET_SOCKET_COOKIE);
        a.insn(STX_DW, FP, R0, -24, 0);
        a.loadMap(R1, originsFd);
        a.insn(MOV64_X, R2, FP, 0, 0);
        a.insn(ADD64_K, R2, 0, 0, -24);
        a.insn(MOV64_X, R3, FP, 0, 0);
        a.insn(ADD64_K, R3, 0, 0, -8);
        a.insn(MOV64_K, R4, 0, 0, 0); // BPF_ANY
        a.insn(CALL, 0, 0, 0, MAP_UPDATE_ELEM);
        a.insn(LDX_W, R2, R9, 0, 0);
        a.insn(STX_W, R6, R2, ipOffset, 0);
        a.insn(LDX_W, R2, R9, 4, 0);
        a.insn(STX_W, R6, R2, USER_PORT, 0);
        a.label("pass");
        a.insn(MOV64_K, R0, 0, 0, 1); // 1: let the connect go on
        a.insn(EXIT, 0, 0, 0, 0);
        return a.bytes();
    }

    /**
     * The program for {@code getpeername4} / {@code getpeername6}: a socket whose connect was
     * rewritten reports the Service address it was meant for. Others pass unchanged.
     */
    static byte[] buildPeerName(int originsFd, boolean ipv6) {
        Assembler a = new Assembler();
        int ipOffset = ipv6 ? USER_IP6 + 12 : USER_IP4; // an IPv4-mapped peer: only the last word differs
        a.insn(MOV64_X, R6, R1, 0, 0);
        a.insn(CALL, 0, 0, 0, GET_SOCKET_COOKIE); // r1 is still the context
        a.insn(STX_DW, FP, R0, -8, 0);
        a.lookupOrJump(originsFd, -8, "pass");
        a.insn(LDX_W, R2, R0, 0, 0);
        a.insn(STX_W, R6, R2, ipOffset, 0);
        a.insn(LDX_W, R2, R0, 4, 0);
        a.insn(STX_W, R6, R2, USER_PORT, 0);
        a.label("pass");
        a.insn(MOV64_K, R0, 0, 0, 1); // getpeername hooks must return 1
        a.insn(EXIT, 0, 0, 0, 0);
        return a.bytes();
    }

    /** Services map key for {@code ip:port} (IPv4 dotted quad): the bytes the program builds on its stack. */
    static byte[] serviceKey(byte[] ipv4, int port) {
        return pair(ipv4, port);
    }

    /** Endpoints map value for {@code ip:port}. */
    static byte[] endpointValue(byte[] ipv4, int port) {
        return pair(ipv4, port);
    }

    /** Services map value. */
    static byte[] serviceValue(int count, int slot) {
        return words(count, slot);
    }

    /** Endpoints map key. */
    static byte[] endpointKey(int slot, int index) {
        return words(slot, index);
    }

    private static byte[] pair(byte[] ipv4, int port) {
        if (ipv4.length != 4) throw new IllegalArgumentException("not an IPv4 address");
        // the address's bytes as they are on the wire; the port's two bytes big-endian, then two zero bytes
        return new byte[] {ipv4[0], ipv4[1], ipv4[2], ipv4[3], (byte) (port >> 8), (byte) port, 0, 0};
    }

    private static byte[] words(int a, int b) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).array();
    }

    /** Eight-byte BPF instructions with forward jumps to named labels. */
    static final class Assembler {
        private final List<long[]> insns = new ArrayList<>(); // code, dst, src, off, imm
        private final Map<String, Integer> labels = new HashMap<>();
        private final Map<Integer, String> jumps = new HashMap<>();

        void insn(int code, int dst, int src, int off, int imm) {
            insns.add(new long[] {code, dst, src, off, imm});
        }

        void jump(int code, int dst, int imm, String label) {
            jumps.put(insns.size(), label);
            insn(code, dst, 0, 0, imm);
        }

        /** The two-slot {@code ld_imm64} that the kernel turns from a map's fd into the map. */
        void loadMap(int dst, int fd) {
            insn(LD_IMM64, dst, PSEUDO_MAP_FD, 0, fd);
            insn(0, 0, 0, 0, 0);
        }

        /** r0 = the value under the key at {@code fp + keyOffset} in the map, or on to {@code missLabel} when there is none. */
        void lookupOrJump(int mapFd, int keyOffset, String missLabel) {
            loadMap(R1, mapFd);
            insn(MOV64_X, R2, FP, 0, 0);
            insn(ADD64_K, R2, 0, 0, keyOffset);
            insn(CALL, 0, 0, 0, MAP_LOOKUP_ELEM);
            jump(JEQ_K, R0, 0, missLabel);
        }

        void label(String name) {
            labels.put(name, insns.size());
        }

        byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < insns.size(); i++) {
                long[] in = insns.get(i);
                int off = (int) in[3];
                String target = jumps.get(i);
                if (target != null) {
                    Integer at = labels.get(target);
                    if (at == null) throw new IllegalStateException("no label " + target);
                    off = at - i - 1;
                }
                out.put((byte) in[0]);
                out.put((byte) ((in[2] << 4) | in[1]));
                out.putShort((short) off);
                out.putInt((int) in[4]);
            }
            return out.array();
        }
    }
}

package dev.roster.dns.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** DNS over TCP's framing (RFC 1035 4.2.2): each message behind its length in two bytes. */
final class TcpFraming {
    private TcpFraming() {}

    /** {@code message[0, length)} behind its length, ready for one write. */
    static byte[] frame(byte[] message, int length) {
        byte[] framed = new byte[2 + length];
        framed[0] = (byte) (length >> 8);
        framed[1] = (byte) length;
        System.arraycopy(message, 0, framed, 2, length);
        return framed;
    }

    static void write(OutputStream out, byte[] message) throws IOException {
        out.write(frame(message, message.length));
        out.flush();
    }

    /** The next whole message (EOFException when the peer hangs up first). */
    static byte[] read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        byte[] message = new byte[data.readUnsignedShort()];
        data.readFully(message);
        return message;
    }
}

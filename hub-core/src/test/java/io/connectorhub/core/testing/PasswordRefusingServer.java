package io.connectorhub.core.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL server on loopback that asks every client for its password and then refuses the login the way a real
 * server does (ErrorResponse, SQL state {@code 28P01}), on the wire protocol 3.0. Closed with its socket.
 */
public final class PasswordRefusingServer implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;

    private final ServerSocket socket;

    public PasswordRefusingServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("password-refusing-server").start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                refuse(client);
            } catch (IOException e) {
                // the next client, or closed
            }
        }
    }

    private static void refuse(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        int length = in.readInt();
        int code = in.readInt();
        in.skipNBytes(length - 8);
        if (code == SSL_REQUEST) {
            out.writeByte('N'); // no TLS here; the startup message follows
            out.flush();
            length = in.readInt();
            in.skipNBytes(length - 4);
        }
        out.writeByte('R'); // AuthenticationCleartextPassword
        out.writeInt(8);
        out.writeInt(3);
        out.flush();
        if (in.readByte() != 'p') return;
        in.skipNBytes(in.readInt() - 4);
        byte[] fields = ("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"hub\"\0\0")
                .getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

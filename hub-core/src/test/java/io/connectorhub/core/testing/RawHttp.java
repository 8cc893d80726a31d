package io.connectorhub.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP requests that no well-behaved client sends, written to a loopback port on a plain socket. */
public final class RawHttp {
    private RawHttp() {}

    /**
     * Posts to {@code path} a body that stops after a few bytes although {@code Content-Length} promises 1000, then
     * half-closes the connection; returns whatever the server answered (empty if nothing).
     */
    public static String truncatedPost(int port, String path, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The status code of a raw HTTP answer, or -1 if there was none. */
    public static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }
}

package io.connectorhub.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What a live check of credentials found ({@link ChannelFactory#checkCredentials}): whether it passed, what was done
 * and seen (one line), and for a failure what to do about it. No text holds a secret.
 *
 * @param fix null when it passed
 */
public record CredentialCheck(boolean ok, String detail, String fix) {
    private static final ObjectMapper JSON = Json.newMapper();

    public static CredentialCheck passed(String detail) {
        return new CredentialCheck(true, detail, null);
    }

    public static CredentialCheck failed(String detail, String fix) {
        return new CredentialCheck(false, detail, fix);
    }

    /**
     * Sends {@code request} and judges the answer with {@code judge}; when {@code what} at {@code url} does not
     * answer, the check fails naming the network and {@code key}, the setting that holds the URL.
     */
    public static CredentialCheck call(
            OkHttpClient http,
            Request request,
            String what,
            String url,
            String key,
            Function<Answer, CredentialCheck> judge) {
        try {
            return judge.apply(Answer.of(http, request));
        } catch (IOException e) {
            return unreachable(what, url, e, key);
        }
    }

    /** {@code what} at {@code url} did not answer; the fix names the network and {@code key}, the setting to check. */
    public static CredentialCheck unreachable(String what, String url, IOException e, String key) {
        return failed(
                "could not reach " + what + " at " + url + ": " + describe(e),
                "check this machine's network (DNS, proxy, firewall) and " + key);
    }

    /** {@code SocketTimeoutException (timeout)}: the exception's kind and shortened message. */
    public static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + shorten(m) + ")");
    }

    /** {@code text} on one line, cut after 200 characters. */
    public static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    /** An HTTP answer: its status, and its body as JSON (an empty object when it is not JSON), read only for errors. */
    public record Answer(int status, JsonNode body) {
        /** Sends {@code request} and reads the whole answer. */
        public static Answer of(OkHttpClient http, Request request) throws IOException {
            try (Response r = http.newCall(request).execute()) {
                String body = r.body().string();
                JsonNode json;
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    json = null;
                }
                return new Answer(r.code(), json == null || !json.isObject() ? JSON.createObjectNode() : json);
            }
        }

        public boolean ok() {
            return status / 100 == 2;
        }

        /**
         * {@code 401 Unauthorized}: the status and the first of the named fields (or JSON pointers, {@code /error/message})
         * the body has; else {@code HTTP 401}.
         */
        public String describe(String... fields) {
            for (String f : fields) {
                JsonNode n = f.contains("/") ? body.at(f) : body.path(f);
                if (n.isValueNode() && !n.asText().isBlank()) return status + " " + shorten(n.asText());
            }
            return "HTTP " + status;
        }
    }
}

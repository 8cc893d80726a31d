package io.connectorhub.core;

import okhttp3.HttpUrl;

/** URLs as they may be shown in logs, status and error replies. */
public final class Urls {
    private Urls() {}

    /**
     * {@code url} without what may hold a credential: the user name and password before the host, and the query
     * (some providers take their key there). Text that is not an http(s) URL loses everything between {@code //}
     * and an {@code @}.
     */
    public static String withoutCredentials(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
        if (parsed == null) return url == null ? null : url.replaceAll("//[^/@]*@", "//");
        return parsed.newBuilder().username("").password("").query(null).build().toString();
    }
}

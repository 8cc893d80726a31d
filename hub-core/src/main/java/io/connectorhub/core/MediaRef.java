package io.connectorhub.core;

/**
 * A reference to a file held by a platform (a Telegram file id, a Discord attachment URL, a Feishu image key).
 * The bytes are fetched on demand by the channel that owns the reference.
 *
 * @param kind image, document, audio, voice, video or file
 * @param ref the platform's identifier or URL of the file
 * @param name file name if the platform gives one, else null
 * @param mimeType MIME type if known, else null
 * @param size size in bytes, or -1 if unknown
 */
public record MediaRef(String kind, String ref, String name, String mimeType, long size) {
    public MediaRef {
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("media kind is required");
        if (ref == null || ref.isBlank()) throw new IllegalArgumentException("media ref is required");
    }

    public static MediaRef of(String kind, String ref) {
        return new MediaRef(kind, ref, null, null, -1);
    }
}

package io.connectorhub.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into {@code build.properties}, and the git commit when the build knew it. */
public final class BuildVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }

    /** {@code connector-hub 0.1.0 (commit 1a2b3c4)}, without the commit when the build had none. */
    public static String text() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/io/connectorhub/app/build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = known(p.getProperty("version"), "dev");
        String commit = known(p.getProperty("commit"), "");
        return "connector-hub " + version + (commit.isEmpty() ? "" : " (commit " + commit + ")");
    }

    /** The value, or {@code otherwise} when it is missing or was not filtered (still {@code ${...}}). */
    private static String known(String value, String otherwise) {
        return value == null || value.isBlank() || value.startsWith("${") ? otherwise : value.strip();
    }
}

package io.connectorhub.core.internal.store;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The files of a class-path folder, from every folder and jar that has it, listed without Flyway's scanner. */
final class ScriptFolder {
    private ScriptFolder() {}

    /**
     * The names of the files in {@code folder}; null when they cannot be listed plainly (a copy of it that is neither a
     * folder nor in a jar, a subfolder, an error reading it).
     */
    static List<String> names(ClassLoader classLoader, String folder) {
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(classLoader.getResources(folder))) {
                if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        for (Path file : files.toList()) {
                            if (!Files.isRegularFile(file)) return null;
                            names.add(file.getFileName().toString());
                        }
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    String prefix = connection.getEntryName() + "/";
                    try (JarFile jar = connection.getJarFile()) {
                        for (JarEntry entry : Collections.list(jar.entries())) {
                            if (!entry.getName().startsWith(prefix)) continue;
                            String name = entry.getName().substring(prefix.length());
                            if (name.contains("/")) return null;
                            if (!name.isEmpty()) names.add(name);
                        }
                    }
                } else return null;
            }
        } catch (IOException | URISyntaxException e) {
            return null;
        }
        return names;
    }
}

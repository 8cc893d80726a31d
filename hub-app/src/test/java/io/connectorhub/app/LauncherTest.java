package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code ./hub} launcher answers {@code --help} itself for the commands it runs (no Maven, no hub). */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "hub").toAbsolutePath().normalize();

    @Test
    void answersHelpForTheCommandsItRunsItself() throws Exception {
        for (String command : new String[] {"test", "bench", "fmt", "build"}) {
            for (String help : new String[] {"--help", "-h"}) {
                Process p = new ProcessBuilder("bash", LAUNCHER.toString(), command, help)
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
                assertEquals(0, p.exitValue(), command + " " + help + ":\n" + out);
                assertTrue(out.startsWith("usage: ./hub " + command), command + " " + help + ":\n" + out);
            }
        }
    }
}

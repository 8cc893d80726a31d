package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself, in-process: parsing, help, version, exit codes, config check, completion. */
class MainTest {
    @TempDir
    Path dir;

    private CliRun run(String... args) {
        return CliRun.of(Map.of(), dir, args);
    }

    private Path badFile() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  port: 99999\n  hots: x\nchannels:\n  websocket:\n    pingInterval: soon\n");
        return file;
    }

    @Test
    void configCheckListsEveryProblemWithItsKeyPath() throws Exception {
        CliRun r = run("config", "check", badFile().toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("bad.yaml: 3 problems"), r.out());
        assertTrue(r.out().contains("server.port: must be between 0 and 65535, is 99999"), r.out());
        assertTrue(r.out().contains("server.hots: unknown key"), r.out());
        assertTrue(r.out().contains("channels.websocket.pingInterval: expected a duration"), r.out());
    }

    @Test
    void configCheckAcceptsAGoodFile() throws Exception {
        Path file = dir.resolve("good.yaml");
        Files.writeString(file, "server:\n  port: 8080\n");
        CliRun r = run("config", "check", file.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(file + ": OK\n", r.out());
    }

    @Test
    void configCheckWithoutAFileChecksTheDefaultsAndSaysSo() {
        CliRun r = run("config", "check");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("built-in defaults (no --config, $HUB_CONFIG or ./hub.yaml): OK"), r.out());
    }

    @Test
    void configCheckWithoutAFileChecksHubYamlInTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("hub.yaml"), "server:\n  port: -1\n");
        CliRun r = run("config", "check");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().startsWith(dir.resolve("hub.yaml") + ": 1 problem\n"), r.out());
    }

    @Test
    void configCheckPrefersHubConfigOverHubYamlAndConfigOverBoth() throws Exception {
        Files.writeString(dir.resolve("hub.yaml"), "server:\n  port: -1\n");
        Path fromEnv = dir.resolve("env.yaml");
        Files.writeString(fromEnv, "server:\n  port: 8080\n");
        CliRun env = CliRun.of(Map.of("HUB_CONFIG", fromEnv.toString()), dir, "config", "check");
        assertEquals(0, env.exit(), env.toString());
        assertEquals(fromEnv + " (from $HUB_CONFIG): OK\n", env.out());

        Path bad = badFile();
        CliRun option =
                CliRun.of(Map.of("HUB_CONFIG", fromEnv.toString()), dir, "config", "check", "--config", bad.toString());
        assertEquals(1, option.exit(), option.toString());
        assertTrue(option.out().startsWith(bad + ": 3 problems"), option.out());
    }

    @Test
    void configCheckPrintsJsonForScripts() throws Exception {
        CliRun r = run("config", "check", "--json", badFile().toString());
        assertEquals(1, r.exit(), r.toString());
        JsonNode json = AdminHarness.JSON.readTree(r.out());
        assertFalse(json.get("ok").asBoolean());
        assertEquals("argument", json.get("from").asText());
        assertEquals(3, json.get("problems").size());
        String portProblem = "";
        for (JsonNode p : json.get("problems"))
            if (p.get("path").asText().equals("server.port"))
                portProblem = p.get("message").asText();
        assertTrue(portProblem.contains("65535"), json.toString());
    }

    @Test
    void printsTheDefaults() {
        CliRun r = run("config", "defaults");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("port: ${HUB_PORT:-18790}"), r.out());
    }

    @Test
    void theDefaultsSayWhereTheGeneratedTelegramWebhookSecretIsKeptOnEitherStore() {
        CliRun r = run("config", "defaults");
        assertTrue(
                r.out()
                        .contains("kept in <dataDir>/telegram-webhook.secret, or on PostgreSQL (store.url) in the"
                                + " table secrets"),
                r.out());
    }

    @Test
    void aMissingArgumentIsAUsageErrorWithTheUsageAndNoStackTrace() {
        CliRun r = run("webhooks", "rm");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("Missing required parameter: 'ID'"), r.err());
        assertTrue(r.err().contains("Usage: hub webhooks rm"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        CliRun r = run("webhooks", "frobnicate");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("'frobnicate'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(2, run("frobnicate").exit());
        assertEquals(2, run().exit());
    }

    @Test
    void aWrongOptionValueIsAUsageError() {
        CliRun r = run("sessions", "list", "--limit", "many");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("'many' is not an int"), r.err());
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpAndVersion() {
        for (List<String> command : List.of(
                List.<String>of(),
                List.of("run"),
                List.of("config", "check"),
                List.of("doctor"),
                List.of("status"),
                List.of("webhooks"),
                List.of("webhooks", "deliveries"),
                List.of("hooks", "add"),
                List.of("sessions", "show"),
                List.of("gateways", "rm"),
                List.of("completion"),
                List.of("test"))) {
            String[] help = concat(command, "--help");
            CliRun h = run(help);
            assertEquals(0, h.exit(), command + ": " + h);
            assertTrue(
                    h.out().contains("Usage: hub" + (command.isEmpty() ? "" : " " + String.join(" ", command))),
                    h.out());
            CliRun v = run(concat(command, "--version"));
            assertEquals(0, v.exit(), command + ": " + v);
            assertTrue(v.out().matches("connector-hub \\d+\\.\\d+\\.\\d+\\S*( \\(commit \\w+\\))?\n"), v.out());
        }
    }

    @Test
    void buildsOnlyTheCommandItRunsAndEveryCommandWhenAskedForHelp() {
        assertEquals(
                Set.of("run"),
                Main.commandLine(Map.of(), dir, "run").getSubcommands().keySet());
        assertEquals(
                Set.of("sessions"),
                Main.commandLine(Map.of(), dir, "--config", "x.yaml", "sessions", "show", "--help")
                        .getSubcommands()
                        .keySet());
        assertEquals(
                Set.of(),
                Main.commandLine(Map.of(), dir, "--version").getSubcommands().keySet());
        for (String[] args : List.of(
                new String[0],
                new String[] {"--help"},
                new String[] {"help", "run"},
                new String[] {"completion", "bash"},
                new String[] {"nosuchcommand"})) {
            assertEquals(
                    19, Main.commandLine(Map.of(), dir, args).getSubcommands().size(), String.join(" ", args));
        }
    }

    @Test
    void theVersionComesFromTheBuild() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.replaceAll("(?s).*?<parent>.*?<version>([^<]+)</version>.*", "$1");
        assertTrue(run("--version").out().startsWith("connector-hub " + version), version);
    }

    @Test
    void helpListsEveryCommandIncludingTheLauncherOnes() {
        CliRun r = run("--help");
        for (String command : List.of(
                "run",
                "config",
                "doctor",
                "status",
                "stats",
                "sessions",
                "webhooks",
                "hooks",
                "gateways",
                "channels",
                "completion",
                "test",
                "bench",
                "fmt",
                "build")) assertTrue(r.out().contains("\n  " + command + " "), command + " missing from\n" + r.out());
        assertTrue(r.out().contains("2   usage error"), r.out());
    }

    @Test
    void aLauncherCommandRunDirectlyPointsToTheLauncher() {
        CliRun r = run("bench");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("./hub bench"), r.err());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CliRun r = run("completion", "bash");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
        assertTrue(r.out().contains("complete -F _complete_hub"), r.out());
        for (String command : List.of("doctor", "rotate-secret", "deliveries", "bench"))
            assertTrue(r.out().contains(command), command);
        assertEquals(2, run("completion", "fish").exit());
    }

    @Test
    void aFailureIsOneLineAndExitsOne() {
        CliRun r = run("status", "--config", dir.resolve("missing.yaml").toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith("hub: invalid configuration"), r.err());
        assertTrue(r.err().contains("file not found"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private static String[] concat(List<String> command, String option) {
        String[] all = command.toArray(new String[command.size() + 1]);
        all[command.size()] = option;
        return all;
    }
}

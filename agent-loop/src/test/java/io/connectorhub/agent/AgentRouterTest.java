package io.connectorhub.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRouterTest {
    @TempDir
    Path dir;

    private final List<String> created = new ArrayList<>();

    /** Every agent answers with its id, so a reply tells which agent was chosen. */
    private final AgentRouter.Factory factory = (id, config) -> {
        created.add(id);
        return (request, stream) -> id;
    };

    private static final String AGENTS = """
            agents:
              gpt: {type: openai, baseUrl: "http://localhost:1/v1", model: m}
              support: {type: openai, baseUrl: "http://localhost:1/v1", model: m}
              vip: {type: openai, baseUrl: "http://localhost:1/v1", model: m}
              family: {type: openai, baseUrl: "http://localhost:1/v1", model: m}
            """;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("hub.yaml");
        Path tmp = dir.resolve("hub.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private HubConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of()).load(write(yaml));
    }

    private static InboundMessage msg(String channel, String chat, String sender) {
        return InboundMessage.builder(channel, "id")
                .sender(sender)
                .chat(chat)
                .content("hi")
                .build();
    }

    private static String answer(AgentRouter router, InboundMessage m) throws Exception {
        return router.apply(m).respond(null, d -> {});
    }

    @Test
    void theMostSpecificBindingWinsPeerThenChatThenChannelThenDefault() throws Exception {
        AgentRouter router = new AgentRouter(load(AGENTS + """
                        routing:
                          defaultAgent: gpt
                          bindings:
                            - {agent: support, channel: telegram}
                            - {agent: family, channel: telegram, chat: "-100"}
                            - {agent: vip, peer: "42"}
                            - {agent: builtin, channel: discord, peer: "42"}
                            - {agent: gpt, channel: telegram}
                        """), factory);

        assertEquals("gpt", router.route(msg("websocket", "main", "7")), "no binding: default");
        assertEquals("support", router.route(msg("telegram", "5", "7")), "channel");
        assertEquals("family", router.route(msg("telegram", "-100", "7")), "chat beats channel");
        assertEquals("vip", router.route(msg("telegram", "-100", "42")), "peer beats chat");
        assertEquals("vip", router.route(msg("websocket", "main", "42")), "peer on any channel");
        assertEquals("builtin", router.route(msg("discord", "1", "42")), "channel and peer beat peer alone");
        assertEquals("family", answer(router, msg("telegram", "-100", "7")));
    }

    @Test
    void withoutAgentsOrBindingsTheBuiltinAgentAnswersEverything() throws Exception {
        AgentRouter router = new AgentRouter(new ConfigLoader(Map.of()).defaults(), factory);
        assertEquals("builtin", router.route(msg("telegram", "1", "2")));
        assertEquals(List.of("builtin"), created);
    }

    @Test
    void aMessageThatNamesAChoosableAgentGetsItWhateverTheBindingsSay() throws Exception {
        AgentRouter router = new AgentRouter(load(AGENTS + """
                        routing:
                          defaultAgent: gpt
                          bindings:
                            - {agent: support, peer: "7"}
                        """), factory);
        InboundMessage chosen = InboundMessage.builder("openaiApi", "id")
                .sender("7")
                .chat("main")
                .agent("vip")
                .build();

        assertEquals(List.of("builtin", "family", "gpt", "support", "vip"), router.choosable("openaiApi", "7"));
        assertEquals("vip", answer(router, chosen));
    }

    @Test
    void refusesAMessageThatNamesAnAgentThatIsNotConfigured() throws Exception {
        AgentRouter router = new AgentRouter(load(AGENTS), factory);
        InboundMessage chosen = InboundMessage.builder("openaiApi", "m-1")
                .sender("7")
                .chat("main")
                .agent("gone")
                .build();

        HubException e = assertThrows(HubException.class, () -> router.apply(chosen));
        assertTrue(e.getMessage().contains("agent gone chosen for openaiApi message m-1"), e.getMessage());
    }

    /** Watches hub.yaml every 50 ms, updating {@code router} and counting the reloads. */
    private ConfigWatcher watch(AgentRouter router, AtomicInteger reloads) {
        ConfigWatcher watcher = new ConfigWatcher(
                dir.resolve("hub.yaml"),
                new ConfigLoader(Map.of()),
                c -> {
                    reloads.incrementAndGet(); // first: a test that sees the new routing sees the count too
                    router.update(c);
                },
                Duration.ofMillis(50));
        watcher.start();
        return watcher;
    }

    @Test
    void reloadsAGoodEditAndKeepsUnchangedAgents() throws Exception {
        AgentRouter router = new AgentRouter(load(AGENTS + "routing: {defaultAgent: gpt}\n"), factory);
        Agent gpt = router.apply(msg("websocket", "main", "1"));
        AtomicInteger reloads = new AtomicInteger();
        ConfigWatcher watcher = watch(router, reloads);
        try {
            write(AGENTS + "routing: {defaultAgent: gpt, bindings: [{agent: support, channel: websocket}]}\n");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> router.route(msg("websocket", "main", "1")).equals("support"));
            assertEquals(1, reloads.get());
            assertSame(gpt, router.apply(msg("telegram", "1", "1")), "an unchanged agent is kept");
        } finally {
            watcher.close();
        }
    }

    @Test
    void rejectsABadEditAndKeepsTheConfigurationInForce() throws Exception {
        AgentRouter router = new AgentRouter(load(AGENTS + "routing: {defaultAgent: gpt}\n"), factory);
        AtomicInteger reloads = new AtomicInteger();
        ConfigWatcher watcher = watch(router, reloads);
        try {
            // A binding to an agent that does not exist: the whole edit is refused.
            write(AGENTS + "routing: {defaultAgent: support, bindings: [{agent: nobody, channel: websocket}]}\n");
            assertFalse(watcher.reload(), "the bad file is refused");
            assertEquals("gpt", router.route(msg("websocket", "main", "1")));
            // A later good edit is picked up: the watcher kept running.
            write(AGENTS + "routing: {defaultAgent: vip}\n");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> router.route(msg("websocket", "main", "1")).equals("vip"));
            assertTrue(reloads.get() >= 1);
        } finally {
            watcher.close();
        }
    }
}

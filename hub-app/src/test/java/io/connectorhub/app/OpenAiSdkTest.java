package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.connectorhub.agent.testing.TestHub;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible API driven by OpenAI's own Java SDK: what its clients parse is what the hub sends. */
class OpenAiSdkTest {
    private static final String KEY = "test-sdk-notarealkey00000notarealkeyabcdef";

    @TempDir
    Path dir;

    private Hub start() throws Exception {
        return Hub.start(TestHub.config(dir, """
                channels:
                  openaiApi:
                    enabled: true
                    keys:
                      - {name: sdk, key: %s}
                """.formatted(KEY)), Clock.systemUTC());
    }

    private static OpenAIClient client(Hub hub, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + hub.port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams ask(String model, String text) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage(text)
                .user("sdk-test")
                .build();
    }

    @Test
    void theOfficialSdkListsModelsCompletesStreamsAndReadsErrors() throws Exception {
        try (Hub hub = start()) {
            OpenAIClient client = client(hub, KEY);
            try {
                List<String> models =
                        client.models().list().data().stream().map(Model::id).toList();
                assertEquals(List.of("builtin"), models);

                ChatCompletion completion = client.chat().completions().create(ask("builtin", "hello"));
                completion.validate();
                assertEquals(
                        "You said: hello\n(message 1 in this conversation)",
                        completion.choices().getFirst().message().content().orElseThrow());

                StringBuilder streamed = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream =
                        client.chat().completions().createStreaming(ask("builtin", "again"))) {
                    stream.stream().forEach(chunk -> {
                        chunk.validate();
                        chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                    });
                }
                assertEquals("You said: again\n(message 2 in this conversation)", streamed.toString());

                NotFoundException notFound = assertThrows(
                        NotFoundException.class,
                        () -> client.chat().completions().create(ask("gpt-4o", "hi")));
                assertTrue(notFound.getMessage().contains("gpt-4o"), notFound.getMessage());
            } finally {
                client.close();
            }
            OpenAIClient wrong = client(hub, "test-wrong-notarealkey00000notarealkeyabcdef");
            try {
                assertThrows(UnauthorizedException.class, () -> wrong.models().list());
            } finally {
                wrong.close();
            }
        }
    }
}

package io.connectorhub.channel.feishu;

import com.lark.oapi.core.request.EventReq;
import com.lark.oapi.event.CustomEventHandler;
import com.lark.oapi.event.EventDispatcher;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-connection mode: the SDK's WebSocket client ({@link com.lark.oapi.ws.Client}) connects out to Feishu, so the
 * hub needs no public URL. Each {@code im.message.receive_v1} event goes through the SDK's {@link EventDispatcher} to
 * the same intake as webhook events; the SDK answers Feishu only after the intake returned (a failure answers 500,
 * so Feishu delivers again). The SDK reconnects by itself. Not thread-safe: the channel starts and stops it.
 */
final class LongConnection {
    private static final Logger log = LoggerFactory.getLogger(LongConnection.class);

    private final FeishuSettings config;
    private final WebhookEndpoint.Intake intake;
    private final Consumer<String> onError;
    private com.lark.oapi.ws.Client client;
    private Thread starter;

    LongConnection(FeishuSettings config, WebhookEndpoint.Intake intake, Consumer<String> onError) {
        this.config = config;
        this.intake = intake;
        this.onError = onError;
    }

    /** The dispatcher the SDK client delivers to; events arrive already decrypted and unsigned over the socket. */
    EventDispatcher dispatcher() {
        return EventDispatcher.newBuilder("", "")
                .onCustomizedEvent(MessageEvents.RECEIVE, new CustomEventHandler() {
                    @Override
                    public void handle(EventReq event) throws Exception {
                        intake.accept(FeishuChannel.JSON.readTree(event.getBody()));
                    }
                })
                .build();
    }

    /** Connects in the background; a refusal of the credentials is reported through {@code onError}. */
    void start() {
        client = new com.lark.oapi.ws.Client.Builder(config.appId(), config.appSecret())
                .domain(config.openBaseUrl())
                .eventHandler(dispatcher())
                .autoReconnect(true)
                .build();
        com.lark.oapi.ws.Client c = client;
        starter = Thread.ofVirtual().name("feishu-longconn").start(() -> {
            try {
                c.start();
                log.info("Feishu long connection started");
            } catch (RuntimeException e) {
                String problem = "the long connection was refused (" + e.getMessage()
                        + "): check channels.feishu.appId/appSecret and that the app uses long-connection event"
                        + " delivery in the console";
                log.error(problem);
                onError.accept(problem);
            }
        });
    }

    /**
     * Closes the connection. The SDK has no public close: its reconnect flag, connection and thread pool are
     * reached by reflection; if that fails, the connection lives until the process exits.
     */
    void stop() {
        com.lark.oapi.ws.Client c = client;
        client = null;
        if (c == null) return;
        if (starter != null) starter.interrupt();
        try {
            Field reconnect = com.lark.oapi.ws.Client.class.getDeclaredField("autoReconnect");
            reconnect.setAccessible(true);
            reconnect.set(c, Boolean.FALSE);
            Method disconnect = com.lark.oapi.ws.Client.class.getDeclaredMethod("disconnect");
            disconnect.setAccessible(true);
            disconnect.invoke(c);
            Field executor = com.lark.oapi.ws.Client.class.getDeclaredField("executor");
            executor.setAccessible(true);
            ((ExecutorService) executor.get(c)).shutdownNow();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Could not close the Feishu long connection cleanly: {}", e.toString());
        }
    }
}

package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FirstAdminTest {
    @Test
    void beginReturnsWhileTheAdminIsStillBeingCreatedAndStartWaitsForIt() throws Exception {
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stored = new AtomicBoolean();
        FirstAdmin admin = FirstAdmin.begin(() -> {
            hashing.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            stored.set(true);
        });
        assertTrue(hashing.await(30, TimeUnit.SECONDS), "the creation runs on its own thread");
        assertFalse(stored.get(), "begin returned before the user was stored");

        release.countDown();
        admin.start();
        assertTrue(stored.get(), "start returns only once the user is stored");
        admin.close();
    }

    @Test
    void startThrowsWhatCreatingTheAdminThrew() {
        HubException failure = new HubException("users table is read-only");
        FirstAdmin admin = FirstAdmin.begin(() -> {
            throw failure;
        });
        assertSame(failure, assertThrows(HubException.class, admin::start));
        admin.close(); // the start's clean-up: does not throw again
    }

    @Test
    void closeWaitsForACreationStillRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stored = new AtomicBoolean();
        FirstAdmin admin = FirstAdmin.begin(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            stored.set(true);
        });
        Thread closer = Thread.ofPlatform().start(admin::close);
        await().atMost(Duration.ofSeconds(30)).until(() -> closer.getState() == Thread.State.WAITING);
        assertFalse(stored.get(), "close is waiting while the user is being stored");
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(closer.isAlive(), "close returned once the user was stored");
        assertTrue(stored.get());
    }
}

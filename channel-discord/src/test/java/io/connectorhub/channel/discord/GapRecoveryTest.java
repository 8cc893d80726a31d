package io.connectorhub.channel.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GapRecoveryTest {
    @Test
    void keepsTheNewestMessageSeenPerChannel() {
        GapRecovery gaps = new GapRecovery();
        gaps.saw("1", 20, "user");
        gaps.saw("1", 10, null); // arrived late (a retried message): the newer one stays the mark
        gaps.saw("2", 30, null);

        assertEquals(new GapRecovery.Seen(20, "user"), gaps.remembered().get("1"));
        assertEquals(new GapRecovery.Seen(30, null), gaps.remembered().get("2"));
    }

    @Test
    void forgetsTheChannelSilentForLongestBeyondItsCapacity() {
        GapRecovery gaps = new GapRecovery(3);
        gaps.saw("a", 1, null);
        gaps.saw("b", 2, null);
        gaps.saw("c", 3, null);
        gaps.saw("a", 4, null); // written in again: now the most recent
        gaps.saw("d", 5, null);

        assertEquals(Set.of("a", "c", "d"), gaps.remembered().keySet());
    }

    @Test
    void remembersTenThousandChannelsByDefault() {
        GapRecovery gaps = new GapRecovery();
        for (int i = 0; i <= GapRecovery.CHANNELS; i++) gaps.saw(Integer.toString(i), i + 1, null);

        assertEquals(GapRecovery.CHANNELS, gaps.remembered().size());
        assertEquals(false, gaps.remembered().containsKey("0"));
    }
}

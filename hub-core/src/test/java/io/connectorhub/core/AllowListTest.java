package io.connectorhub.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {
    @Test
    void deniesEveryoneWhenEmpty() {
        assertFalse(AllowList.of(List.of()).allows("42"));
        assertFalse(AllowList.of(null).allows("42"));
    }

    @Test
    void allowsEveryoneWithTheWildcard() {
        assertTrue(AllowList.of(List.of("*")).allows("anyone"));
    }

    @Test
    void matchesIdsExactlyWithoutSplittingOrPrefixes() {
        AllowList list = AllowList.of(List.of("42", "@alice"));
        assertTrue(list.allows("42"));
        assertTrue(list.allows("@alice"));
        assertFalse(list.allows("420"));
        assertFalse(list.allows("4"));
        assertFalse(list.allows("42|@mallory"));
        assertFalse(list.allows("@ALICE"));
        assertFalse(list.allows(""));
        assertFalse(list.allows(null));
    }
}

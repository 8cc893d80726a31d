package io.connectorhub.channel.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostTextTest {
    private static JsonNode json(String text) throws Exception {
        return Json.newMapper().readTree(text);
    }

    @Test
    void flattensTitleParagraphsLinksMentionsAndCode() throws Exception {
        JsonNode post = json("""
                {"title":"Release","content":[
                  [{"tag":"at","user_id":"@_user_1","user_name":"Assistant"},{"tag":"text","text":" please check "},
                   {"tag":"a","text":"the notes","href":"https://example.com/n"}],
                  [{"tag":"text","text":"cc "},{"tag":"at","user_id":"@_user_2","user_name":"Bob"},
                   {"tag":"emotion","emoji_type":"THUMBSUP"}],
                  [{"tag":"code_block","language":"JAVA","text":"int x = 1;\\n"}],
                  [{"tag":"hr"}],
                  [{"tag":"img","image_key":"img_1"},{"tag":"media","file_key":"file_v","image_key":"img_c"}],
                  []
                ]}""");
        PostText.Flattened flat = PostText.flatten(post, Map.of(), Set.of("@_user_1"));
        assertEquals(
                "Release\nplease check the notes (https://example.com/n)\ncc @Bob:THUMBSUP:\n```java\nint x = 1;\n```"
                        + "\n---\n[image][video]",
                flat.text());
        assertEquals(List.of("img_1"), flat.imageKeys());
        assertEquals(List.of("file_v"), flat.videoKeys());
    }

    @Test
    void readsThePerLocaleFormAndNamesMentionsFromTheMentionList() throws Exception {
        JsonNode post = json("""
                {"en_us":{"title":"","content":[[{"tag":"text","text":"hi "},{"tag":"at","user_id":"@_user_3"}]]}}""");
        PostText.Flattened flat = PostText.flatten(post, Map.of("@_user_3", "Carol"), Set.of());
        assertEquals("hi @Carol", flat.text());
    }

    @Test
    void aLinkWhoseTextIsTheUrlIsWrittenOnce() throws Exception {
        JsonNode post = json("""
                {"content":[[{"tag":"a","text":"https://x.test","href":"https://x.test"}]]}""");
        assertEquals(
                "https://x.test", PostText.flatten(post, Map.of(), Set.of()).text());
    }
}

package io.storefront.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void eventTopicsListsEveryTopicConstant() throws IllegalAccessException {
        List<String> topicConstants = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("DEAD_LETTER_SUFFIX")) {
                topicConstants.add((String) field.get(null));
            }
        }
        assertThat(Topics.EVENT_TOPICS).containsExactlyInAnyOrderElementsOf(topicConstants).doesNotHaveDuplicates();
    }
}

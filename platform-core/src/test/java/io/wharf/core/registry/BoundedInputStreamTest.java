package io.wharf.core.registry;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedInputStreamTest {

    @Test
    void passesUpToTheLimitAndFailsTheReadBeyondItWithoutReadingFurther() throws IOException {
        BoundedInputStream exact = new BoundedInputStream(new ByteArrayInputStream(new byte[100]), 100);
        assertThat(exact.readAllBytes()).hasSize(100);
        assertThat(exact.exceeded()).isFalse();

        ByteArrayInputStream source = new ByteArrayInputStream(new byte[10_000]);
        BoundedInputStream bounded = new BoundedInputStream(source, 100);
        assertThatThrownBy(bounded::readAllBytes).isInstanceOf(IOException.class);
        assertThat(bounded.exceeded()).isTrue();
        assertThat(bounded.count()).isEqualTo(101);
        assertThat(source.available()).as("the rest is left unread").isEqualTo(10_000 - 101);
    }
}

package io.wharf.core.testing;

import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link DataJpaTest} slice on the real test PostgreSQL ({@link PostgresTestDatabase}) instead of an embedded
 * database: the data source is kept ({@code replace = NONE}), every context gets a fresh schema of its own, and
 * Flyway migrates it from scratch. Each test runs in a transaction that is rolled back, as usual for the slice.
 * Beans outside the slice (stores, a storage driver) are added with {@code @Import}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = PostgresDataJpaTest.FreshSchema.class)
public @interface PostgresDataJpaTest {

    /** Points the context at a new schema on the test server. */
    final class FreshSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of(PostgresTestDatabase.properties()).applyTo(context);
        }
    }
}

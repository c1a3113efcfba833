/** A local webhook receiver for tests: records what Wharf sends and can fail or hang on purpose. */
@NullMarked
package io.wharf.testkit.webhook;

import org.jspecify.annotations.NullMarked;
